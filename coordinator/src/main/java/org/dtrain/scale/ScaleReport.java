package org.dtrain.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dtrain.chart.Charts;
import org.dtrain.chart.LineChart;
import org.dtrain.chart.Series;
import org.dtrain.chart.StackedBarChart;
import org.dtrain.model.ModelFile;

/**
 * The results of a scaling experiment: speedups, the invariant check, {@code results.csv}, the
 * printed table, the charts and {@code summary.md}.
 *
 * @param plan what was run
 * @param rows one per configuration, in the order of {@link ScalePlan#configs()}, speedups filled
 */
public record ScaleReport(ScalePlan plan, List<ScaleRow> rows) {
  public ScaleReport {
    rows = List.copyOf(rows);
  }

  /**
   * Fills speedup and efficiency: each batch size's rows against its row with the fewest workers.
   * Speedup is the ratio of samples/s (for strong and weak scaling alike); efficiency divides it
   * by the ratio of workers.
   */
  public static ScaleReport of(ScalePlan plan, List<ScaleRow> measured) {
    int perBatch = plan.workers().size();
    List<ScaleRow> out = new ArrayList<>(measured.size());
    for (int i = 0; i < measured.size(); i++) {
      ScaleRow base = measured.get(i - i % perBatch);
      ScaleRow r = measured.get(i);
      double speedup = r.samplesPerS() / base.samplesPerS();
      out.add(r.withSpeedup(speedup, speedup / ((double) r.workers() / base.workers())));
    }
    return new ScaleReport(plan, out);
  }

  /** The rows of each global batch, in order of appearance. */
  public Map<Integer, List<ScaleRow>> byGlobalBatch() {
    Map<Integer, List<ScaleRow>> m = new LinkedHashMap<>();
    for (ScaleRow r : rows) m.computeIfAbsent(r.globalBatch(), k -> new ArrayList<>()).add(r);
    return m;
  }

  /** Whether every row of the same global batch trained the same weights. */
  public boolean invariantHolds() {
    if (!rows.stream().allMatch(ScaleRow::roundsAgree)) return false;
    for (List<ScaleRow> group : byGlobalBatch().values()) {
      if (group.stream().map(ScaleRow::modelSha256).distinct().count() > 1) return false;
    }
    return true;
  }

  /** One line per global batch: the same weights on every worker count, or which differ. */
  public List<String> invariantLines() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Integer, List<ScaleRow>> e : byGlobalBatch().entrySet()) {
      List<ScaleRow> g = e.getValue();
      Set<String> shas = new LinkedHashSet<>();
      g.forEach(r -> shas.add(r.modelSha256()));
      String ks = String.join(", ", g.stream().map(r -> String.valueOf(r.workers())).toList());
      for (ScaleRow r : g) {
        if (!r.roundsAgree()) {
          out.add("global batch " + e.getKey() + ", " + r.workers() + " workers: DIFFERENT weights"
              + " in the rounds of one configuration, the invariant is broken: "
              + r.modelSha256());
        }
      }
      if (shas.size() == 1) {
        out.add("global batch " + e.getKey() + ": the same weights on " + ks + " workers ("
            + (g.size() == 1 ? "one run, nothing to compare; " : "") + "sha256 "
            + brief(shas.iterator().next()) + "...)");
      } else {
        StringBuilder sb = new StringBuilder("global batch " + e.getKey()
            + ": DIFFERENT weights across worker counts, the invariant is broken:");
        for (ScaleRow r : g) sb.append(' ').append(r.workers()).append("w=")
            .append(brief(r.modelSha256()));
        out.add(sb.toString());
      }
    }
    return out;
  }

  /** results.csv, atomically. */
  public void writeCsv(Path file) throws IOException {
    StringBuilder sb = new StringBuilder(ScaleRow.CSV_HEADER).append('\n');
    for (ScaleRow r : rows) sb.append(r.csvRow()).append('\n');
    ModelFile.writeAtomically(sb.toString().getBytes(StandardCharsets.UTF_8), file);
  }

  /** The table printed at the end of a run. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%7s %6s %8s %12s %9s %9s %9s %8s %9s %6s %11s %7s %5s%n",
        "workers", "shards", "batch", "samples/s", "p50 ms", "p95 ms", "compute", "reduce",
        "bcast", "idle%", "bytes/step", "speedup", "eff"));
    for (ScaleRow r : rows) {
      sb.append(String.format(Locale.ROOT,
          "%7d %6d %8d %12.0f %9.2f %9.2f %9.2f %8.2f %9.2f %6.1f %11d %7.2f %4.0f%%%n",
          r.workers(), r.shards(), r.globalBatch(), r.samplesPerS(), r.stepMsP50(), r.stepMsP95(),
          r.computeMs(), r.reduceMs(), r.broadcastMs(), r.idlePct(), r.bytesPerStep(),
          r.speedup(), 100 * r.efficiency()));
    }
    return sb.toString();
  }

  /** Throughput against workers, one measured curve and one ideal (linear) line per batch size. */
  public LineChart throughputChart() {
    LineChart.Builder b = LineChart.builder("Throughput, " + mode() + " scaling")
        .xLabel("workers").yLabel("samples/s").xScale(LineChart.Scale.LOG2).includeLeft(0);
    int perBatch = plan.workers().size();
    for (int g = 0; g < rows.size() / perBatch; g++) {
      List<ScaleRow> group = rows.subList(g * perBatch, (g + 1) * perBatch);
      String label = batchLabel(plan.batchSizes().get(g));
      double[] k = group.stream().mapToDouble(ScaleRow::workers).toArray();
      ScaleRow base = group.get(0);
      b.add(Series.line(label, k, group.stream().mapToDouble(ScaleRow::samplesPerS).toArray())
          .withMarkers(true));
      b.add(Series.line(label + ", ideal", k, group.stream()
          .mapToDouble(r -> base.samplesPerS() * r.workers() / base.workers()).toArray())
          .withStyle(Series.Style.DASHED));
    }
    return b.build();
  }

  /** Where the median step's time goes, per configuration. */
  public StackedBarChart breakdownChart() {
    List<String> cats = rows.stream().map(r -> r.workers() + "w, " + r.globalBatch()).toList();
    return StackedBarChart.builder("Step time, " + mode() + " scaling (median step)")
        .yLabel("ms per step").categories(cats)
        .stack("compute", rows.stream().mapToDouble(ScaleRow::computeMs).toArray())
        .stack("reduce", rows.stream().mapToDouble(ScaleRow::reduceMs).toArray())
        .stack("broadcast", rows.stream().mapToDouble(ScaleRow::broadcastMs).toArray())
        .stack("waiting, messages", rows.stream().mapToDouble(ScaleRow::otherMs).toArray())
        .build();
  }

  /** Writes the throughput and breakdown charts (SVG and PNG) to {@code dir}; returns the files. */
  public List<Path> writeCharts(Path dir) throws IOException {
    List<Path> out = new ArrayList<>(Charts.write(throughputChart(), dir.resolve("throughput")));
    out.addAll(Charts.write(breakdownChart(), dir.resolve("step-breakdown")));
    return out;
  }

  /** summary.md: what ran, the table, the invariant, the charts. */
  public String summary(String command, String job, String where, List<String> extraSections) {
    StringBuilder sb = new StringBuilder("# dtrain scale: " + mode() + " scaling\n\n");
    sb.append("- command: `").append(command).append("`\n");
    sb.append("- job: ").append(job).append('\n');
    sb.append("- cluster: ").append(where).append('\n');
    sb.append("- shards: ").append(plan.shards()).append(" in every configuration\n\n");
    sb.append("## Results\n\n| workers | shards | global batch | samples/s | step p50 ms | step p95 ms"
        + " | compute ms | reduce ms | broadcast ms | idle % | bytes/step | speedup | efficiency |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ScaleRow r : rows) {
      sb.append(String.format(Locale.ROOT,
          "| %d | %d | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %d | %.2f | %.0f%% |%n",
          r.workers(), r.shards(), r.globalBatch(), r.samplesPerS(), r.stepMsP50(), r.stepMsP95(),
          r.computeMs(), r.reduceMs(), r.broadcastMs(), r.idlePct(), r.bytesPerStep(),
          r.speedup(), 100 * r.efficiency()));
    }
    sb.append("\n## The invariant\n\n");
    sb.append(invariantHolds()
        ? "Every configuration with the same global batch trained bit-identical weights:\n\n"
        : "**Broken**: configurations with the same global batch trained different weights:\n\n");
    for (String line : invariantLines()) sb.append("- ").append(line).append('\n');
    sb.append("\n## Charts\n\n![throughput](throughput.svg)\n\n![step time](step-breakdown.svg)\n");
    for (String s : extraSections) sb.append('\n').append(s);
    return sb.toString();
  }

  private static String brief(String sha) {
    return sha.substring(0, Math.min(16, sha.length()));
  }

  private String mode() {
    return plan.mode() == ScalePlan.Mode.STRONG ? "strong" : "weak";
  }

  private String batchLabel(int b) {
    return plan.mode() == ScalePlan.Mode.STRONG ? "batch " + b : b + " per worker";
  }
}
