package org.dtrain.model;

import java.nio.FloatBuffer;
import org.dtrain.nn.LayerSpec;
import org.dtrain.nn.Parameters;

/**
 * {@code dtrain export --format json}:
 * <pre>
 * {"format":"dtrain-model","version":1,"loss":"cross_entropy","scaling":{...},
 *  "layers":[{"in":784,"out":256,"activation":"relu","weights":[[...n_in...], ...n_out rows],"bias":[...]}, ...]}
 * </pre>
 * weights[i][j] is W_ij (output unit i, input j). Floats print with {@link Float#toString}, the
 * shortest decimal that parses back to the same float32.
 */
public final class ModelJson {
  private ModelJson() {}

  public static String toJson(Model m) {
    StringBuilder sb = new StringBuilder(64 + m.parameters().count() * 12);
    sb.append("{\"format\":\"dtrain-model\",\"version\":1,\"loss\":\"")
        .append(m.spec().loss().text()).append("\",\"scaling\":{\"kind\":\"")
        .append(m.scaler().kind().name().toLowerCase()).append("\",\"offset\":");
    floats(sb, m.scaler().offset());
    sb.append(",\"scale\":");
    floats(sb, m.scaler().scale());
    sb.append("},\"layers\":[");
    Parameters p = m.parameters();
    for (int l = 0; l < m.spec().depth(); l++) {
      LayerSpec ls = m.spec().layer(l);
      if (l > 0) sb.append(',');
      sb.append("{\"in\":").append(ls.in()).append(",\"out\":").append(ls.out())
          .append(",\"activation\":\"").append(ls.activation().text()).append("\",\"weights\":[");
      FloatBuffer w = p.weights(l);
      for (int i = 0; i < ls.out(); i++) {
        if (i > 0) sb.append(',');
        sb.append('[');
        for (int j = 0; j < ls.in(); j++) {
          if (j > 0) sb.append(',');
          sb.append(w.get(i * ls.in() + j));
        }
        sb.append(']');
      }
      sb.append("],\"bias\":[");
      FloatBuffer b = p.bias(l);
      for (int i = 0; i < ls.out(); i++) {
        if (i > 0) sb.append(',');
        sb.append(b.get(i));
      }
      sb.append("]}");
    }
    return sb.append("]}\n").toString();
  }

  private static void floats(StringBuilder sb, float[] v) {
    sb.append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) sb.append(',');
      sb.append(v[i]);
    }
    sb.append(']');
  }
}
