/**
 * Charts without dependencies: one description rendered to SVG (text) and to PNG (Java2D,
 * headless), for {@code train --plots} and the reports of {@code dtrain scale}.
 *
 * <p>Describe a chart with a {@link org.dtrain.chart.LineChart} (curves of
 * {@link org.dtrain.chart.Series}, a linear, log2 or log10 x axis, an optional right y axis) or a
 * {@link org.dtrain.chart.StackedBarChart} (one bar per category, stacked parts), then render it with
 * {@link org.dtrain.chart.Charts}:
 *
 * <pre>{@code
 * double[] workers = {1, 2, 4, 8, 16};
 * LineChart chart = LineChart.builder("Throughput")
 *     .xLabel("workers").yLabel("samples/s").xScale(LineChart.Scale.LOG2)
 *     .add(Series.line("ideal", workers, ideal).withStyle(Series.Style.DASHED))
 *     .add(Series.line("predicted", workers, predicted))
 *     .add(Series.points("measured", workers, measured))
 *     .build();
 * Charts.write(chart, dir.resolve("throughput"));   // throughput.svg, throughput.png
 * }</pre>
 *
 * <p>Layout is written once against the {@code Canvas} primitives (rectangles, lines, polylines,
 * dots, anchored text) with two implementations, {@code SvgCanvas} and {@code PngCanvas}, and text
 * widths from one table ({@code TextMetrics}), so both outputs have the same geometry. Linear axes
 * end on 1-2-5 ticks ({@code AxisScale}); colours are the Okabe–Ito colour-blind-safe palette
 * ({@code Palette}). Points with a NaN or infinite coordinate are gaps in their line; empty series
 * and constant values get a padded axis rather than an error.
 */
package org.dtrain.chart;
