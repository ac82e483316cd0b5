package org.dtrain.data;

import java.util.Objects;

/**
 * What a reader produces before the task is known: named feature columns and one real-valued label
 * column, plus where each row came from so later checks (class range, binary labels) can point at the
 * offending line. {@link Dataset} turns this into task-shaped data.
 *
 * <p>The arrays are shared, not copied: tables can hold the whole of MNIST, so they are treated as
 * read-only by convention.
 */
public final class LabeledTable {
  private final String source;
  private final String[] featureNames;
  private final String labelName;
  private final float[] features; // (rows, cols) row-major
  private final double[] labels; // (rows)
  private final int[] sourceLines; // (rows) 1-based CSV line, or 1-based record index
  private final int labelColumn; // 1-based CSV column of the label, 0 when rows are records

  public LabeledTable(String source, String[] featureNames, String labelName, float[] features,
      double[] labels, int[] sourceLines, int labelColumn) {
    this.source = Objects.requireNonNull(source, "source");
    this.featureNames = Objects.requireNonNull(featureNames, "featureNames");
    this.labelName = Objects.requireNonNull(labelName, "labelName");
    this.features = Objects.requireNonNull(features, "features");
    this.labels = Objects.requireNonNull(labels, "labels");
    this.sourceLines = Objects.requireNonNull(sourceLines, "sourceLines");
    this.labelColumn = labelColumn;
    // Shape mismatches here are programming errors in a reader, not user input problems.
    if ((long) labels.length * featureNames.length != features.length) {
      throw new IllegalArgumentException("features has " + features.length + " values, expected rows "
          + labels.length + " x cols " + featureNames.length);
    }
    if (sourceLines.length != labels.length) {
      throw new IllegalArgumentException("sourceLines has " + sourceLines.length
          + " entries, expected one per row (" + labels.length + ")");
    }
    if (labelColumn < 0) {
      throw new IllegalArgumentException("labelColumn must be >= 0, found " + labelColumn);
    }
  }

  public String source() {
    return source;
  }

  public int rows() {
    return labels.length;
  }

  public int cols() {
    return featureNames.length;
  }

  public String[] featureNames() {
    return featureNames.clone();
  }

  public String labelName() {
    return labelName;
  }

  /** (rows, cols) row-major; shared, do not modify. */
  public float[] features() {
    return features;
  }

  /** (rows); shared, do not modify. */
  public double[] labels() {
    return labels;
  }

  public int sourceLine(int row) {
    return sourceLines[row];
  }

  public int labelColumn() {
    return labelColumn;
  }

  /**
   * Number of classes implied by integer labels: max label + 1.
   *
   * @throws DataException naming file:line:column of the first non-integer or negative label
   */
  public int inferNumClasses() {
    int max = -1;
    for (int r = 0; r < labels.length; r++) {
      double v = labels[r];
      // The upper bound keeps max + 1 an int; such a label is a regression target, not a class.
      if (v != Math.rint(v) || v < 0 || v >= Integer.MAX_VALUE) {
        throw DataException.at(labelWhere(r),
            labelTitle() + ": expected an integer class id >= 0, found " + Inputs.number(v));
      }
      max = Math.max(max, (int) v);
    }
    return max + 1;
  }

  /** True when every label is 0 or 1 (and there is at least one row). */
  public boolean labelsAreBinary() {
    for (double v : labels) {
      if (v != 0 && v != 1) {
        return false;
      }
    }
    return labels.length > 0;
  }

  /**
   * Where row {@code row}'s label is, for messages: {@code file:line:column} for CSV, or
   * {@code source: record N} for data without lines and columns (IDX, synthetic).
   */
  String labelWhere(int row) {
    if (labelColumn > 0) {
      return source + ":" + sourceLines[row] + ":" + labelColumn;
    }
    return source + ": record " + sourceLines[row];
  }

  /** "label", or "label 'species'" when the label column has another name. */
  String labelTitle() {
    return "label".equals(labelName) ? "label" : "label '" + labelName + "'";
  }

  @Override
  public String toString() {
    return source + ": " + rows() + " rows x " + cols() + " features, label '" + labelName + "'";
  }
}
