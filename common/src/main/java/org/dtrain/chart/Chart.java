package org.dtrain.chart;

/**
 * What to draw, independent of the output format: a {@link LineChart} or a
 * {@link StackedBarChart}. Immutable; render it with {@link Charts}.
 */
public sealed interface Chart permits LineChart, StackedBarChart {
  /** Printed above the chart; empty for none. */
  String title();
}
