package org.dtrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.dtrain.tensorboard.EventReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watching a job from the command line: TensorBoard event files whose scalars equal the metrics CSV,
 * loss plots beside it, the dashboard's address, and the HTTP flags' errors.
 */
class CliObserveTest {
  private static final String[] JOB = {"train", "--data", Cli.IRIS, "--layers", "auto,8,auto",
      "--optimizer", "adam", "--lr", "0.01", "--batch-size", "16", "--shards",
      "4", "--workers", "2", "--test-fraction", "0.2", "--scale", "standard"};

  @TempDir Path dir;

  private static String[] job(String... more) {
    return Stream.concat(Stream.of(JOB), Stream.of(more)).toArray(String[]::new);
  }

  @Test
  void tensorBoardScalarsEqualTheMetricsCsvAndPlotsAreWritten() throws IOException {
    Path csv = dir.resolve("run/metrics.csv");
    Files.createDirectories(csv.getParent());
    Path tb = dir.resolve("tb");
    Cli.Result r = Cli.ok(job("--epochs", "6", "--metrics-out", csv.toString(), "--metrics-every-step",
        "--tensorboard", tb.toString(), "--plots", "--quiet"));

    List<Path> files;
    try (Stream<Path> s = Files.list(tb)) {
      files = s.toList();
    }
    assertEquals(1, files.size(), "one event file: " + files);
    assertTrue(files.get(0).getFileName().toString().startsWith("events.out.tfevents."));
    EventReader events = EventReader.read(files.get(0));
    assertEquals("brain.Event:2", events.fileVersion());
    Map<String, Map<Long, Float>> scalars = new HashMap<>();
    for (EventReader.Scalar sc : events.scalars()) {
      scalars.computeIfAbsent(sc.tag(), k -> new HashMap<>()).put(sc.step(), sc.value());
    }

    List<String> lines = Files.readAllLines(csv);
    List<String> header = List.of(lines.get(0).split(",", -1));
    int steps = 0;
    int epochEnds = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] cell = line.split(",", -1);
      long step = Long.parseLong(cell[header.indexOf("step")]);
      steps++;
      for (String tag : List.of("loss", "accuracy")) {
        assertClose(cell[header.indexOf(tag)], scalars.get(tag).get(step), tag + " at step " + step);
      }
      // The CSV rounds to 0.1 (half up); the event file holds a float32 whose ulp near 1e5 is
      // 0.008, so the two may differ by half a CSV digit plus one float ulp.
      float event = scalars.get("samples_per_s").get(step);
      assertEquals(Double.parseDouble(cell[header.indexOf("samples_per_s")]), event,
          0.05 + Math.ulp(event), "samples_per_s (%.1f in the CSV)");
      String testAcc = cell[header.indexOf("test_accuracy")];
      if (!testAcc.isEmpty()) {
        epochEnds++;
        assertClose(testAcc, scalars.get("test_accuracy").get(step), "test_accuracy at " + step);
        assertClose(cell[header.indexOf("test_loss")], scalars.get("test_loss").get(step),
            "test_loss at " + step);
      }
    }
    assertEquals(steps, scalars.get("loss").size(), "a loss per step");
    assertEquals(steps, scalars.get("learning_rate").size(), "a learning rate per step");
    assertEquals(0.01f, scalars.get("learning_rate").get(1L), 1e-9f);
    assertEquals(6, epochEnds);
    assertEquals(6, scalars.get("test_accuracy").size(), "a test accuracy per epoch");

    BufferedImage png = ImageIO.read(csv.resolveSibling("loss.png").toFile());
    assertTrue(png != null && png.getWidth() > 0, "loss.png decodes");
    String svg = Files.readString(csv.resolveSibling("loss.svg"));
    assertTrue(svg.contains("training loss") && svg.contains("test accuracy"), "the legend");
    assertTrue(r.out().isEmpty(), "--quiet: " + r);
  }

  @Test
  void printsWhereTheDashboardIs() throws IOException {
    int port = freePort();
    Cli.Result r = Cli.ok(job("--epochs", "1", "--http-port", String.valueOf(port)));
    assertTrue(r.out().contains("dashboard: http://127.0.0.1:" + port + "/"), r.toString());
  }

  @Test
  void httpFlagMistakesAreOneLineAndExit2() throws IOException {
    Cli.assertBadInput(Cli.run(job("--http-port", "http")), "--http-port", "'http'");
    Cli.assertBadInput(Cli.run(job("--http-port", "70000")), "--http-port", "0-65535");
    Cli.assertBadInput(Cli.run(job("--plots")), "--plots", "--metrics-out");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Cli.assertBadInput(Cli.run(job("--http-port", String.valueOf(taken.getLocalPort()))),
          "--http-port", "127.0.0.1:" + taken.getLocalPort(), "0 for none");
    }
  }

  private static void assertClose(String csv, Float tb, String what) {
    assertTrue(tb != null, what + ": no TensorBoard scalar");
    double expected = Double.parseDouble(csv);
    assertEquals(expected, tb, Math.max(1e-6, Math.abs(expected) * 1e-5), what);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
