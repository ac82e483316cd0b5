package org.dtrain.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Curves against a shared x axis (linear, log2 or log10): a left y axis (linear or log) and, when some series asks for it or a right
 * label is given, a right y axis with its own range (loss on the left, accuracy 0..1 on the right).
 * Each axis covers its series' drawable points and the values named with {@link
 * Builder#includeLeft} or {@link Builder#includeRight}, widened to nice ticks.
 *
 * <p>Build with {@link #builder}:
 *
 * <pre>{@code
 * LineChart chart = LineChart.builder("Training")
 *     .xLabel("step").yLabel("loss").rightLabel("accuracy").includeRight(0, 1)
 *     .add(Series.line("train loss", steps, loss))
 *     .add(Series.line("test accuracy", steps, accuracy).withAxis(Series.YAxis.RIGHT))
 *     .build();
 * }</pre>
 *
 * @param yScale the left axis's scale (the right axis is always linear)
 * @param rightLabel the right axis's label, empty for none
 * @param includeLeft values the left axis always covers (may be empty)
 * @param includeRight values the right axis always covers (may be empty)
 */
public record LineChart(String title, String xLabel, String yLabel, Scale xScale, Scale yScale,
    String rightLabel, double[] includeLeft, double[] includeRight, List<Series> series)
    implements Chart {

  /**
   * How values are spaced along an axis. On a log axis values &lt;= 0 cannot be drawn and are gaps,
   * like NaN.
   */
  public enum Scale {
    LINEAR,
    /** Powers of two equally spaced (1, 2, 4, ... workers). */
    LOG2,
    /** Powers of ten equally spaced. */
    LOG10
  }

  public LineChart {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(xLabel, "xLabel");
    Objects.requireNonNull(yLabel, "yLabel");
    Objects.requireNonNull(xScale, "xScale");
    Objects.requireNonNull(yScale, "yScale");
    Objects.requireNonNull(rightLabel, "rightLabel");
    includeLeft = includeLeft.clone();
    includeRight = includeRight.clone();
    series = List.copyOf(series);
  }

  public static Builder builder(String title) {
    return new Builder(title);
  }

  /** Whether the chart has a right y axis: a right label, or a series drawn against it. */
  public boolean hasRightAxis() {
    return !rightLabel.isEmpty() || series.stream().anyMatch(s -> s.axis() == Series.YAxis.RIGHT);
  }

  @Override
  public double[] includeLeft() {
    return includeLeft.clone();
  }

  @Override
  public double[] includeRight() {
    return includeRight.clone();
  }

  /** Collects the parts of a {@link LineChart}; every label defaults to empty. */
  public static final class Builder {
    private final String title;
    private String xLabel = "";
    private String yLabel = "";
    private Scale xScale = Scale.LINEAR;
    private Scale yScale = Scale.LINEAR;
    private String rightLabel = "";
    private double[] includeLeft = {};
    private double[] includeRight = {};
    private final List<Series> series = new ArrayList<>();

    private Builder(String title) {
      this.title = Objects.requireNonNull(title, "title");
    }

    public Builder xLabel(String label) {
      xLabel = Objects.requireNonNull(label, "xLabel");
      return this;
    }

    public Builder yLabel(String label) {
      yLabel = Objects.requireNonNull(label, "yLabel");
      return this;
    }

    public Builder xScale(Scale scale) {
      xScale = Objects.requireNonNull(scale, "xScale");
      return this;
    }

    /** The left y axis's scale, e.g. {@code LOG10} for throughput over 1..1024 workers. */
    public Builder yScale(Scale scale) {
      yScale = Objects.requireNonNull(scale, "yScale");
      return this;
    }

    /** Labels the right y axis (and so shows it, even with no series against it). */
    public Builder rightLabel(String label) {
      rightLabel = Objects.requireNonNull(label, "rightLabel");
      return this;
    }

    /** Values the left axis covers whatever the data, e.g. {@code includeLeft(0)}. */
    public Builder includeLeft(double... values) {
      includeLeft = values.clone();
      return this;
    }

    /** Values the right axis covers whatever the data, e.g. {@code includeRight(0, 1)}. */
    public Builder includeRight(double... values) {
      includeRight = values.clone();
      return this;
    }

    /** Adds a series; colours follow the order of adding. */
    public Builder add(Series s) {
      series.add(Objects.requireNonNull(s, "series"));
      return this;
    }

    public LineChart build() {
      return new LineChart(title, xLabel, yLabel, xScale, yScale, rightLabel, includeLeft, includeRight,
          series);
    }
  }
}
