package org.dtrain.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One bar per category, each split into stacked parts: stack {@code s} contributes
 * {@code s.values()[i]} to the bar of category {@code i}, stacks piled bottom-up in the order
 * given, the bar's total printed above it. The y axis starts at zero. Parts that are NaN,
 * infinite or negative count as zero.
 *
 * <pre>{@code
 * StackedBarChart chart = StackedBarChart.builder("Step time")
 *     .yLabel("ms per step").categories("1 worker", "4 workers", "16 workers")
 *     .stack("compute", 40, 11, 3).stack("reduce", 1, 3, 5)
 *     .stack("broadcast", 1, 2, 4).stack("idle", 0, 1, 2)
 *     .build();
 * }</pre>
 */
public record StackedBarChart(String title, String yLabel, List<String> categories,
    List<Stack> stacks) implements Chart {

  /** One named part of every bar; {@code values} has one entry per category. */
  public record Stack(String name, double[] values) {
    public Stack {
      Objects.requireNonNull(name, "name");
      values = values.clone();
    }

    /** A copy of the values. */
    @Override
    public double[] values() {
      return values.clone();
    }

    /** The part of category {@code i}'s bar: the value, or 0 if it is not a finite positive. */
    double height(int i) {
      double v = values[i];
      return Double.isFinite(v) && v > 0 ? v : 0;
    }
  }

  public StackedBarChart {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(yLabel, "yLabel");
    categories = List.copyOf(categories);
    stacks = List.copyOf(stacks);
    for (Stack s : stacks) {
      if (s.values.length != categories.size()) {
        throw new IllegalArgumentException("stack '" + s.name() + "' has " + s.values.length
            + " values for " + categories.size() + " categories");
      }
    }
  }

  public static Builder builder(String title) {
    return new Builder(title);
  }

  /** The height of category {@code i}'s bar: the sum of its parts. */
  public double total(int i) {
    double sum = 0;
    for (Stack s : stacks) {
      sum += s.height(i);
    }
    return sum;
  }

  /** Collects the parts of a {@link StackedBarChart}; set the categories before the stacks. */
  public static final class Builder {
    private final String title;
    private String yLabel = "";
    private List<String> categories = List.of();
    private final List<Stack> stacks = new ArrayList<>();

    private Builder(String title) {
      this.title = Objects.requireNonNull(title, "title");
    }

    public Builder yLabel(String label) {
      yLabel = Objects.requireNonNull(label, "yLabel");
      return this;
    }

    public Builder categories(String... labels) {
      return categories(List.of(labels));
    }

    public Builder categories(List<String> labels) {
      categories = List.copyOf(labels);
      return this;
    }

    /** Adds the next stack up; {@code values} has one entry per category. */
    public Builder stack(String name, double... values) {
      stacks.add(new Stack(name, values));
      return this;
    }

    public StackedBarChart build() {
      return new StackedBarChart(title, yLabel, categories, stacks);
    }
  }
}
