package org.dtrain.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A rendered SVG parsed as XML (which fails on malformed output), with finders for the tests. */
final class SvgDoc {
  final Document doc;

  SvgDoc(String svg) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      doc = f.newDocumentBuilder()
          .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + svg, e);
    }
    assertEquals("svg", doc.getDocumentElement().getTagName());
  }

  /** The {@code <g class=kind data-name=name>} group; exactly one must exist. */
  Element group(String kind, String name) {
    List<Element> found = new ArrayList<>();
    for (Element g : elements(doc.getDocumentElement(), "g")) {
      if (kind.equals(g.getAttribute("class")) && name.equals(g.getAttribute("data-name"))) {
        found.add(g);
      }
    }
    assertEquals(1, found.size(), "groups " + kind + "/" + name);
    return found.get(0);
  }

  /** Every text element's content, in document order. */
  List<String> texts() {
    List<String> out = new ArrayList<>();
    for (Element t : elements(doc.getDocumentElement(), "text")) {
      out.add(t.getTextContent());
    }
    return out;
  }

  static List<Element> elements(Element root, String tag) {
    NodeList nodes = root.getElementsByTagName(tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add((Element) nodes.item(i));
    }
    return out;
  }

  /** The points of a polyline as {x, y} pairs. */
  static List<double[]> points(Element polyline) {
    List<double[]> out = new ArrayList<>();
    for (String pair : polyline.getAttribute("points").trim().split("\\s+")) {
      String[] xy = pair.split(",");
      out.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
    }
    return out;
  }

  static double number(Element e, String attribute) {
    return Double.parseDouble(e.getAttribute(attribute));
  }
}
