package org.dtrain.coordinator;

/** Training produced a NaN or infinite loss or weight; no model is saved. */
public final class DivergedException extends RuntimeException {
  public DivergedException(String message) {
    super(message);
  }
}
