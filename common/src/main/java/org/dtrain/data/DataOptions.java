package org.dtrain.data;

import java.util.Objects;

/**
 * How to read or generate data: the CSV label column and the synthetic generators' knobs.
 * Immutable; start from {@link #defaults()} and change fields with the {@code with...} methods.
 *
 * <p>Zero (or a negative noise) means "the generator's own default", so one options object serves
 * every generator.
 */
public final class DataOptions {
  private static final DataOptions DEFAULTS = new DataOptions("label", 0, 1, 0, 0, -1);

  private final String label;
  private final int syntheticRows;
  private final long syntheticSeed;
  private final int syntheticClasses;
  private final int syntheticFeatures;
  private final double syntheticNoise;

  private DataOptions(String label, int syntheticRows, long syntheticSeed, int syntheticClasses,
      int syntheticFeatures, double syntheticNoise) {
    this.label = label;
    this.syntheticRows = syntheticRows;
    this.syntheticSeed = syntheticSeed;
    this.syntheticClasses = syntheticClasses;
    this.syntheticFeatures = syntheticFeatures;
    this.syntheticNoise = syntheticNoise;
  }

  /** label "label", generator-default sizes and noise, seed 1. */
  public static DataOptions defaults() {
    return DEFAULTS;
  }

  public DataOptions withLabel(String label) {
    Objects.requireNonNull(label, "label");
    if (label.isBlank()) {
      throw DataException.at("label column", "expected a column name, found an empty one");
    }
    return new DataOptions(label.trim(), syntheticRows, syntheticSeed, syntheticClasses,
        syntheticFeatures, syntheticNoise);
  }

  /** 0 = the generator's default size. */
  public DataOptions withSyntheticRows(int rows) {
    requireCount("synthetic rows", rows);
    return new DataOptions(label, rows, syntheticSeed, syntheticClasses, syntheticFeatures,
        syntheticNoise);
  }

  public DataOptions withSyntheticSeed(long seed) {
    return new DataOptions(label, syntheticRows, seed, syntheticClasses, syntheticFeatures,
        syntheticNoise);
  }

  /** 0 = the generator's default. */
  public DataOptions withSyntheticClasses(int classes) {
    requireCount("synthetic classes", classes);
    return new DataOptions(label, syntheticRows, syntheticSeed, classes, syntheticFeatures,
        syntheticNoise);
  }

  /** 0 = the generator's default. */
  public DataOptions withSyntheticFeatures(int features) {
    requireCount("synthetic features", features);
    return new DataOptions(label, syntheticRows, syntheticSeed, syntheticClasses, features,
        syntheticNoise);
  }

  /** Negative = the generator's default; the meaning (a standard deviation) is per generator. */
  public DataOptions withSyntheticNoise(double noise) {
    if (Double.isNaN(noise) || Double.isInfinite(noise)) {
      throw DataException.at("synthetic noise", "expected a finite number, found " + noise);
    }
    return new DataOptions(label, syntheticRows, syntheticSeed, syntheticClasses, syntheticFeatures,
        noise);
  }

  public String label() {
    return label;
  }

  public int syntheticRows() {
    return syntheticRows;
  }

  public long syntheticSeed() {
    return syntheticSeed;
  }

  public int syntheticClasses() {
    return syntheticClasses;
  }

  public int syntheticFeatures() {
    return syntheticFeatures;
  }

  public double syntheticNoise() {
    return syntheticNoise;
  }

  private static void requireCount(String key, int n) {
    if (n < 0) {
      throw DataException.at(key, "expected a count >= 0 (0 = the generator's default), found " + n);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataOptions d
        && label.equals(d.label)
        && syntheticRows == d.syntheticRows
        && syntheticSeed == d.syntheticSeed
        && syntheticClasses == d.syntheticClasses
        && syntheticFeatures == d.syntheticFeatures
        && Double.compare(syntheticNoise, d.syntheticNoise) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(label, syntheticRows, syntheticSeed, syntheticClasses, syntheticFeatures,
        syntheticNoise);
  }

  @Override
  public String toString() {
    return "DataOptions[label=" + label + ", syntheticRows=" + syntheticRows + ", syntheticSeed="
        + syntheticSeed + ", syntheticClasses=" + syntheticClasses + ", syntheticFeatures="
        + syntheticFeatures + ", syntheticNoise=" + syntheticNoise + "]";
  }
}
