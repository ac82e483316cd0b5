package org.dtrain.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status API's JSON writer: commas, escapes, and numbers JSON can hold. */
class JsonTest {
  @Test
  void nestsObjectsAndArraysWithCommasInTheRightPlaces() {
    String s = new Json().beginObject().field("a", 1L).key("b").beginArray().value(1L).value(2.5)
        .beginObject().field("c", "d").endObject().endArray().field("e", "f").endObject().toString();
    assertEquals("{\"a\":1,\"b\":[1,2.50000,{\"c\":\"d\"}],\"e\":\"f\"}", s);
    Map<String, Object> parsed = org.dtrain.cli.Json.object(org.dtrain.cli.Json.parse(s));
    assertEquals(List.of("a", "b", "e"), List.copyOf(parsed.keySet()));
  }

  @Test
  void numbersJsonCannotHoldBecomeNull() {
    assertEquals("[null,null,null,0,-3,1.00000e-07]", new Json().beginArray().value(Double.NaN)
        .value(Double.POSITIVE_INFINITY).value(Double.NEGATIVE_INFINITY).value(0.0).value(-3.0)
        .value(1e-7).endArray().toString());
  }

  @Test
  void stringsAreEscapedAndSafeInsideHtml() {
    String s = new Json().value("q\"b\\n\nt\t<script>&\u0001").toString();
    assertEquals("\"q\\\"b\\\\n\\nt\\t\\u003cscript\\u003e\\u0026\\u0001\"", s);
    assertEquals("q\"b\\n\nt\t<script>&\u0001", org.dtrain.cli.Json.parse(s));
  }
}
