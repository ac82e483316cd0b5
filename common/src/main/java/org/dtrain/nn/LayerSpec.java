package org.dtrain.nn;

/** One dense layer: z = W a + b with W (out, in) and b (out), then a' = g(z). */
public record LayerSpec(int in, int out, Activation activation) {
  public LayerSpec {
    if (in <= 0 || out <= 0) {
      throw new IllegalArgumentException(
          "layer sizes must be positive, found in=" + in + " out=" + out);
    }
  }

  /** Parameters of this layer: W then b. */
  public int parameterCount() {
    return out * in + out;
  }
}
