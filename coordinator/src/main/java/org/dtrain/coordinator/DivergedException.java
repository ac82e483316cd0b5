package org.dtrain.coordinator;

/** The loss or a weight stopped being finite: training cannot go on and nothing is saved. */
public final class DivergedException extends JobFailedException {
  public DivergedException(String message) {
    super(message);
  }
}
