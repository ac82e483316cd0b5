package org.dtrain.nn;

import java.util.Locale;

/**
 * Optimizer settings, sorted in order of increasing complexity (as in tinygrad's optim.py).
 *
 * @param momentum μ for {@code momentum} (default 0.9)
 * @param weightDecay λ: adds λ W to the gradient of every weight matrix (biases are not decayed)
 */
public record OptimizerConfig(Kind kind, float momentum, float beta1, float beta2, float epsilon,
    float weightDecay) {

  public enum Kind { SGD, MOMENTUM, ADAM }

  public static final String ALLOWED = "sgd, momentum, adam";

  public OptimizerConfig {
    if (!(momentum >= 0f && momentum < 1f)) {
      throw new IllegalArgumentException("--momentum must be in [0, 1), found " + momentum);
    }
    if (!(weightDecay >= 0f) || Float.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("--weight-decay must be >= 0, found " + weightDecay);
    }
  }

  public static OptimizerConfig of(Kind kind) {
    return new OptimizerConfig(kind, 0.9f, 0.9f, 0.999f, 1e-8f, 0f);
  }

  public static Kind parseKind(String text) {
    return Names.parse(Kind.class, text, "optimizer", ALLOWED);
  }


  public OptimizerConfig withMomentum(float mu) {
    return new OptimizerConfig(kind, mu, beta1, beta2, epsilon, weightDecay);
  }

  public OptimizerConfig withWeightDecay(float wd) {
    return new OptimizerConfig(kind, momentum, beta1, beta2, epsilon, wd);
  }

  public String text() {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
