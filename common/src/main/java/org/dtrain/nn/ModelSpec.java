package org.dtrain.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * The architecture: dense layers and the loss. Checked when built, before any work starts.
 *
 * <p>Rules: consecutive layers connect (out of one = in of the next); softmax only on the output
 * layer and only with cross_entropy; cross_entropy needs a softmax output and binary_cross_entropy a
 * sigmoid output (both fused, dZ = ŷ − y). {@code step} is allowed only in models used for inference;
 * {@link #requireTrainable()} rejects it.
 */
public final class ModelSpec {
  private final List<LayerSpec> layers;
  private final Loss loss;

  public ModelSpec(List<LayerSpec> layers, Loss loss) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one layer");
    }
    this.layers = List.copyOf(layers);
    this.loss = loss;
    for (int l = 1; l < layers.size(); l++) {
      if (layers.get(l).in() != layers.get(l - 1).out()) {
        throw new IllegalArgumentException("layer " + l + " takes " + layers.get(l).in()
            + " inputs but layer " + (l - 1) + " gives " + layers.get(l - 1).out());
      }
    }
    for (int l = 0; l < layers.size() - 1; l++) {
      if (layers.get(l).activation().kind() == Activation.Kind.SOFTMAX) {
        throw new IllegalArgumentException("softmax is only allowed on the output layer (it is fused"
            + " with cross_entropy); hidden layer " + (l + 1) + " has softmax: use relu, tanh or sigmoid");
      }
    }
    Activation.Kind out = output().activation().kind();
    Activation.Kind required = loss.requiredOutput();
    if (required != null && out != required) {
      throw new IllegalArgumentException("loss " + loss.text() + " needs a "
          + required.name().toLowerCase(java.util.Locale.ROOT) + " output layer, found " + output().activation().text()
          + " (use --output-activation " + required.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
    if (out == Activation.Kind.SOFTMAX && loss != Loss.CROSS_ENTROPY) {
      throw new IllegalArgumentException("a softmax output is only supported with loss cross_entropy,"
          + " found loss " + loss.text());
    }
    long params = 0; // in longs: an int count would wrap around and size every buffer wrongly
    for (LayerSpec l : layers) params += (long) l.out() * l.in() + l.out();
    if (params > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("the model has " + params + " parameters, more than the "
          + Integer.MAX_VALUE + " one flat float array can hold");
    }
  }

  /** Builds from sizes n0..nL, one hidden activation and one output activation. */
  public static ModelSpec of(int[] sizes, Activation hidden, Activation output, Loss loss) {
    if (sizes.length < 2) {
      throw new IllegalArgumentException(
          "--layers needs at least an input and an output size, e.g. 4,16,3");
    }
    List<LayerSpec> ls = new ArrayList<>();
    for (int i = 1; i < sizes.length; i++) {
      ls.add(new LayerSpec(sizes[i - 1], sizes[i], i == sizes.length - 1 ? output : hidden));
    }
    return new ModelSpec(ls, loss);
  }

  /** Rejects models backpropagation cannot train, saying why. */
  public ModelSpec requireTrainable() {
    for (int l = 0; l < layers.size(); l++) {
      if (layers.get(l).activation().kind() == Activation.Kind.STEP) {
        throw new IllegalArgumentException("activation step (layer " + (l + 1) + ") cannot be trained"
            + " by backpropagation: its derivative is 0 everywhere (undefined at 0), so no gradient"
            + " flows; use sigmoid to train, step is for inference and the perceptron demo");
      }
    }
    return this;
  }

  public List<LayerSpec> layers() {
    return layers;
  }

  public LayerSpec layer(int l) {
    return layers.get(l);
  }

  public int depth() {
    return layers.size();
  }

  public LayerSpec output() {
    return layers.get(layers.size() - 1);
  }

  public int inputs() {
    return layers.get(0).in();
  }

  public int outputs() {
    return output().out();
  }

  public Loss loss() {
    return loss;
  }

  public int parameterCount() {
    int n = 0;
    for (LayerSpec l : layers) n += l.parameterCount();
    return n;
  }

  /** "784-256-128-10 relu/softmax cross_entropy" */
  public String describe() {
    StringBuilder sb = new StringBuilder().append(inputs());
    for (LayerSpec l : layers) sb.append('-').append(l.out());
    sb.append(' ');
    for (int i = 0; i < layers.size(); i++) {
      sb.append(i == 0 ? "" : "/").append(layers.get(i).activation().text());
    }
    return sb.append(' ').append(loss.text()).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec m && m.layers.equals(layers) && m.loss == loss;
  }

  @Override
  public int hashCode() {
    return layers.hashCode() * 31 + loss.hashCode();
  }

  @Override
  public String toString() {
    return describe();
  }
}
