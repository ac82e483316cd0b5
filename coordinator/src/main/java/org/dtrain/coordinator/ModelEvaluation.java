package org.dtrain.coordinator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.dtrain.data.DataOptions;
import org.dtrain.data.DataReader;
import org.dtrain.data.Dataset;
import org.dtrain.model.Model;
import org.dtrain.model.ModelFile;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Network;

/**
 * A saved model applied to a data set: its outputs, and the metrics {@code evaluate} reports.
 * Classification: mean loss, accuracy, confusion matrix (rows = true class, columns = predicted).
 * Regression: mean loss, mse = mean (ŷ − y)² over all outputs, mae, and r2 = 1 − SS_res / SS_tot.
 */
public record ModelEvaluation(Model model, Dataset data, float[] outputs, BatchStats stats) {

  public static Model loadModel(String path) throws IOException {
    return ModelFile.read(Path.of(path), path);
  }

  /** Reads labelled data shaped for the model (same features, its classes), scaled as it was. */
  public static Dataset loadData(Model model, String dataSpec, String label) {
    return loadData(model, dataSpec, label, true);
  }

  /**
   * As {@link #loadData(Model, String, String)}, but for predictions: a CSV without the label column
   * is accepted (its targets are then zeros and only the outputs mean anything).
   */
  public static Dataset loadData(Model model, String dataSpec, String label, boolean labelRequired) {
    DataOptions options = DataOptions.defaults()
        .withLabel(label != null ? label : model.label().isEmpty() ? "label" : model.label());
    var table = labelRequired ? DataReader.read(dataSpec, options)
        : DataReader.readForPrediction(dataSpec, options);
    int k = model.spec().outputs();
    Dataset d;
    boolean unlabelled = table.labelColumn() == 0 && table.rows() > 0
        && Double.isNaN(table.labels()[0]); // a CSV read without its label column
    if (unlabelled) {
      d = Dataset.of(table.source(), table.featureNames(), table.features(),
          new float[table.rows() * k], null, k);
    } else {
      d = model.spec().loss().classification()
          ? Dataset.classification(table, k) : Dataset.regression(table);
    }
    if (d.features() != model.spec().inputs()) {
      throw new IllegalArgumentException(dataSpec + ": expected " + model.spec().inputs()
          + " features as the model was trained on, found " + d.features());
    }
    return model.scaler().apply(d);
  }

  public static ModelEvaluation run(Model model, Dataset data) {
    float[] outputs = new float[data.rows() * model.spec().outputs()];
    BatchStats stats = new Evaluator(new Network(model.spec()), data.rows())
        .forEachChunk(model.parameters(), data, outputs);
    return new ModelEvaluation(model, data, outputs, stats);
  }

  public boolean classification() {
    return model.spec().loss().classification();
  }

  /** The predicted class of a row (arg-max, or ŷ > 0.5 for one sigmoid output). */
  public int predictedClass(int row) {
    int k = model.spec().outputs();
    if (k == 1) {
      return outputs[row] > 0.5f ? 1 : 0;
    }
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (outputs[row * k + j] > outputs[row * k + best]) best = j;
    }
    return best;
  }

  public int classes() {
    return Math.max(2, model.spec().outputs());
  }

  public long[][] confusion() {
    long[][] c = new long[classes()][classes()];
    for (int r = 0; r < data.rows(); r++) c[data.labels()[r]][predictedClass(r)]++;
    return c;
  }

  public double mse() {
    double s = 0;
    float[] y = data.y();
    for (int i = 0; i < outputs.length; i++) s += (outputs[i] - y[i]) * (double) (outputs[i] - y[i]);
    return s / outputs.length;
  }

  public double mae() {
    double s = 0;
    float[] y = data.y();
    for (int i = 0; i < outputs.length; i++) s += Math.abs(outputs[i] - y[i]);
    return s / outputs.length;
  }

  public double r2() {
    float[] y = data.y();
    double mean = 0;
    for (float v : y) mean += v;
    mean /= y.length;
    double ssTot = 0;
    double ssRes = 0;
    for (int i = 0; i < y.length; i++) {
      ssTot += (y[i] - mean) * (y[i] - mean);
      ssRes += (y[i] - outputs[i]) * (double) (y[i] - outputs[i]);
    }
    return ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot;
  }

  /** {"samples":N,"loss":L,"accuracy":A} or {"samples":N,"loss":L,"mse":..,"mae":..,"r2":..}. */
  public String json() {
    StringBuilder sb = new StringBuilder().append("{\"samples\":").append(stats.samples())
        .append(",\"loss\":").append(num(stats.meanLoss()));
    if (classification()) {
      sb.append(",\"accuracy\":").append(num(stats.accuracy()));
    } else {
      sb.append(",\"mse\":").append(num(mse())).append(",\"mae\":").append(num(mae()))
          .append(",\"r2\":").append(num(r2()));
    }
    return sb.append('}').toString();
  }

  /** Human-readable report. */
  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "samples %d%nloss %.6f%n", stats.samples(), stats.meanLoss()));
    if (classification()) {
      sb.append(String.format(Locale.ROOT, "accuracy %.4f (%d of %d)%n", stats.accuracy(),
          stats.correct(), stats.samples()));
      sb.append("confusion matrix (rows: true class, columns: predicted)\n");
      long[][] c = confusion();
      sb.append(String.format(Locale.ROOT, "%6s", ""));
      for (int j = 0; j < c.length; j++) sb.append(String.format(Locale.ROOT, "%7d", j));
      sb.append('\n');
      for (int i = 0; i < c.length; i++) {
        sb.append(String.format(Locale.ROOT, "%6d", i));
        for (long v : c[i]) sb.append(String.format(Locale.ROOT, "%7d", v));
        sb.append('\n');
      }
    } else {
      sb.append(String.format(Locale.ROOT, "mse %.6g%nmae %.6g%nr2 %.6f%n", mse(), mae(), r2()));
    }
    return sb.toString();
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.9g", v) : "null";
  }
}
