package org.dtrain.cli;

import static org.dtrain.cli.Cli.IRIS;
import static org.dtrain.cli.Cli.ok;
import static org.dtrain.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dtrain.model.Model;
import org.dtrain.model.ModelFile;
import org.dtrain.nn.Initializer;
import org.dtrain.nn.LayerSpec;
import org.dtrain.nn.Parameters;
import org.dtrain.proto.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the commands do when the input is good (and when training fails while running). */
class CliBehaviourTest {
  @TempDir Path dir;

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  private static Model load(String path) throws IOException {
    return ModelFile.read(Path.of(path), path);
  }

  // ---- help ---------------------------------------------------------------------------------------

  @Test
  void helpExitsZero() {
    Cli.Result top = ok("--help");
    assertTrue(top.out().contains("train") && top.out().contains("evaluate"), top::toString);
    Cli.Result train = ok("train", "--help");
    assertTrue(train.out().contains("--lr") && train.out().contains("--save-model"), train::toString);
    assertEquals("", train.err());
    ok("help", "train");
    ok("--version");
  }

  @Test
  void coordinatorHelpListsDataOnWorkers() {
    Cli.Result r = ok("coordinator", "--help");
    assertTrue(r.out().contains("--data-on-workers"), r::toString);
  }

  // ---- --steps 0 ----------------------------------------------------------------------------------

  @Test
  void stepsZeroWritesTheInitialisedModel() throws IOException {
    String m = path("init.dtrm");
    // --shards 1 keeps the small-shard warning (default 16 shards, batch 64) off stderr
    Cli.Result r = ok("train", "--data", IRIS, "--layers", "auto,5,auto", "--steps", "0", "--seed", "3",
        "--shards", "1", "--quiet", "--save-model", m);
    assertEquals("", r.err());
    Model model = load(m);
    Parameters expected = Parameters.zeros(model.spec());
    Initializer.initialize(expected, 3);
    assertArrayEquals(expected.toArray(), model.parameters().toArray());
    assertEquals(0, model.runInfo().steps());

    Cli.Result e = ok("evaluate", "--model", m, "--data", IRIS);
    assertTrue(e.out().contains("samples 150"), e::toString);
    assertTrue(e.out().contains("accuracy"), e::toString);
  }

  // ---- determinism ---------------------------------------------------------------------------------

  private byte[] trainPayload(long seed, String model) throws IOException {
    ok("train", "--data", IRIS, "--layers", "auto,6,auto", "--epochs", "3", "--batch-size", "16",
        "--scale", "standard", "--test-fraction", "0.2", "--optimizer", "adam", "--lr", "0.01",
        "--seed", String.valueOf(seed), "--quiet", "--save-model", model);
    return ModelFile.payload(Path.of(model), model);
  }

  private static byte[] withoutCreatedTime(byte[] payload) throws IOException {
    ModelProto p = ModelProto.parseFrom(payload);
    assertTrue(p.getRunInfo().getCreatedUnixMs() > 0);
    return p.toBuilder().setRunInfo(p.getRunInfo().toBuilder().clearCreatedUnixMs()).build()
        .toByteArray();
  }

  @Test
  void sameSeedSamePayloadExceptCreationTime() throws IOException {
    // Same path both times: the resolved job (save-model included) is stored in RunInfo.config.
    String m = path("model.dtrm");
    byte[] a = trainPayload(42, m);
    byte[] b = trainPayload(42, m);
    assertArrayEquals(withoutCreatedTime(a), withoutCreatedTime(b));

    byte[] c = trainPayload(43, m);
    ModelProto pa = ModelProto.parseFrom(a);
    ModelProto pc = ModelProto.parseFrom(c);
    assertNotEquals(pa.getLayersList(), pc.getLayersList(), "another seed gives other weights");
  }

  // ---- divergence -----------------------------------------------------------------------------------

  // --shards 1: with the default 16 shards, iris's batch of 64 gives each shard about 4 rows, and the
  // small-shard warning would be a second stderr line before the one error line checked here.
  private static final String[] DIVERGING = {"train", "--data", IRIS, "--layers", "auto,8,auto",
      "--lr", "1e30", "--epochs", "5", "--shards", "1", "--quiet"};

  private static String[] with(String[] base, String... more) {
    return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
  }

  @Test
  void divergenceExitsOneNamesTheStepAndSavesNothing() throws IOException {
    String m = path("diverged.dtrm");
    String metrics = path("diverged.csv");
    Cli.Result r = run(with(DIVERGING, "--save-model", m, "--metrics-out", metrics));
    String line = Cli.assertOneLineError(r, Main.FAILED, "diverged", "step ");
    assertTrue(line.matches(".*step \\d+.*"), line);
    assertFalse(Files.exists(Path.of(m)), "no model file");
    assertFalse(Files.exists(Path.of(metrics)), "no metrics file");
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList(), "no temporary files left behind");
    }
  }

  @Test
  void divergenceLeavesAnExistingModelUntouched() throws IOException {
    Path m = dir.resolve("existing.dtrm");
    byte[] before = "an earlier model".getBytes(StandardCharsets.UTF_8);
    Files.write(m, before);
    Cli.Result r = run(with(DIVERGING, "--save-model", m.toString()));
    Cli.assertOneLineError(r, Main.FAILED, "diverged", "step ");
    assertArrayEquals(before, Files.readAllBytes(m));
  }

  // ---- metrics --------------------------------------------------------------------------------------

  @Test
  void metricsOutHasTheHeaderAndOneRowPerEpoch() throws IOException {
    Path csv = dir.resolve("sub/metrics.csv");
    ok("train", "--data", IRIS, "--layers", "auto,8,auto", "--epochs", "4", "--batch-size", "64",
        "--test-fraction", "0.2", "--quiet", "--metrics-out", csv.toString());
    List<String> lines = Files.readAllLines(csv);
    assertEquals("step,epoch,loss,accuracy,test_loss,test_accuracy,samples_per_s,wall_ms,"
        + "compute_ms,reduce_ms,broadcast_ms,idle_pct", lines.get(0));
    assertEquals(5, lines.size(), () -> String.join("\n", lines));
    // 120 training rows, batch 64: 2 steps per epoch
    for (int e = 1; e <= 4; e++) {
      String[] cells = lines.get(e).split(",", -1);
      assertEquals(12, cells.length, lines.get(e));
      assertEquals(String.valueOf(2 * e), cells[0]);
      assertEquals(String.valueOf(e), cells[1]);
      for (int c = 2; c < 12; c++) {
        String column = lines.get(0).split(",")[c];
        assertFalse(cells[c].isEmpty(), () -> "column " + column + ": " + lines);
        Double.parseDouble(cells[c]);
      }
    }
    assertFalse(Files.exists(dir.resolve("sub/metrics.csv.partial")));
  }

  @Test
  void metricsWithoutTestDataLeaveTestColumnsEmpty() throws IOException {
    Path csv = dir.resolve("metrics.csv");
    ok("train", "--data", IRIS, "--epochs", "2", "--quiet", "--metrics-out", csv.toString());
    List<String> lines = Files.readAllLines(csv);
    assertEquals(3, lines.size());
    String[] cells = lines.get(1).split(",", -1);
    assertEquals("", cells[4]);
    assertEquals("", cells[5]);
  }

  // ---- export --format json -------------------------------------------------------------------------

  @Test
  void exportJsonLayoutAndExactFloats() throws IOException {
    String m = path("m.dtrm");
    ok("train", "--data", IRIS, "--layers", "auto,7,5,auto", "--hidden-activation", "tanh",
        "--epochs", "2", "--scale", "standard", "--quiet", "--save-model", m);
    Model model = load(m);
    Cli.Result r = ok("export", "--model", m, "--format", "json");
    checkExport(model, r.out());

    Path out = dir.resolve("m.json");
    ok("export", "--model", m, "--format", "json", "--out", out.toString());
    assertEquals(r.out(), Files.readString(out));
  }

  private static void checkExport(Model model, String text) {
    Map<String, Object> root = Json.object(Json.parse(text));
    assertEquals(List.of("format", "version", "loss", "scaling", "layers"), List.copyOf(root.keySet()));
    assertEquals("dtrain-model", root.get("format"));
    assertEquals("1", Json.num(root.get("version")).text());
    assertEquals("cross_entropy", root.get("loss"));

    Map<String, Object> scaling = Json.object(root.get("scaling"));
    assertEquals("standard", scaling.get("kind"));
    assertExactFloats(model.scaler().offset(), Json.array(scaling.get("offset")), "offset");
    assertExactFloats(model.scaler().scale(), Json.array(scaling.get("scale")), "scale");

    List<Object> layers = Json.array(root.get("layers"));
    assertEquals(model.spec().depth(), layers.size());
    int checked = 0;
    for (int l = 0; l < layers.size(); l++) {
      LayerSpec ls = model.spec().layer(l);
      Map<String, Object> layer = Json.object(layers.get(l));
      assertEquals(List.of("in", "out", "activation", "weights", "bias"), List.copyOf(layer.keySet()));
      assertEquals(String.valueOf(ls.in()), Json.num(layer.get("in")).text());
      assertEquals(String.valueOf(ls.out()), Json.num(layer.get("out")).text());
      assertEquals(ls.activation().text(), layer.get("activation"));
      List<Object> w = Json.array(layer.get("weights"));
      assertEquals(ls.out(), w.size(), "weights has one row per output unit");
      for (int i = 0; i < ls.out(); i++) {
        List<Object> row = Json.array(w.get(i));
        assertEquals(ls.in(), row.size(), "a weights row has one entry per input");
        for (int j = 0; j < ls.in(); j++) {
          float expected = model.parameters().weight(l, i, j);
          String t = Json.num(row.get(j)).text();
          assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(Float.parseFloat(t)),
              "layer " + l + " W[" + i + "][" + j + "] = " + t + " should be " + expected);
          checked++;
        }
      }
      List<Object> bias = Json.array(layer.get("bias"));
      float[] b = new float[ls.out()];
      model.parameters().bias(l).get(0, b);
      assertExactFloats(b, bias, "layer " + l + " bias");
      checked += b.length;
    }
    assertEquals(model.parameters().count(), checked, "every parameter exported");
    assertEquals("softmax", Json.object(layers.get(layers.size() - 1)).get("activation"));
    assertEquals("tanh", Json.object(layers.get(0)).get("activation"));
  }

  private static void assertExactFloats(float[] expected, List<Object> json, String what) {
    assertEquals(expected.length, json.size(), what);
    for (int i = 0; i < expected.length; i++) {
      String t = Json.num(json.get(i)).text();
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(Float.parseFloat(t)),
          what + "[" + i + "] = " + t + " should be " + expected[i]);
    }
  }

  // ---- evaluate --json ------------------------------------------------------------------------------

  @Test
  void evaluateJsonClassification() throws IOException {
    String m = path("c.dtrm");
    ok("train", "--data", IRIS, "--epochs", "3", "--scale", "standard", "--quiet", "--save-model", m);
    Cli.Result r = ok("evaluate", "--model", m, "--data", IRIS, "--json");
    Map<String, Object> o = Json.object(Json.parse(r.out()));
    assertEquals(List.of("samples", "loss", "accuracy"), List.copyOf(o.keySet()));
    assertEquals("150", Json.num(o.get("samples")).text());
    double acc = Json.num(o.get("accuracy")).asDouble();
    assertTrue(acc >= 0 && acc <= 1, r::toString);
    assertTrue(Json.num(o.get("loss")).asDouble() > 0, r::toString);
  }

  @Test
  void evaluateJsonRegression() throws IOException {
    String m = path("r.dtrm");
    ok("train", "--data", "synthetic:teacher", "--synthetic-rows", "200", "--loss", "mse",
        "--epochs", "3", "--lr", "0.01", "--quiet", "--save-model", m);
    Cli.Result r = ok("evaluate", "--model", m, "--data", "synthetic:teacher", "--json");
    Map<String, Object> o = Json.object(Json.parse(r.out()));
    assertEquals(List.of("samples", "loss", "mse", "mae", "r2"), List.copyOf(o.keySet()));
    assertTrue(Json.num(o.get("samples")).asDouble() > 0, r::toString);
    double mse = Json.num(o.get("mse")).asDouble();
    double mae = Json.num(o.get("mae")).asDouble();
    assertTrue(mse >= 0 && mae >= 0, r::toString);
    Json.num(o.get("r2")).asDouble();
    // the loss is mse: ½ Σ (ŷ − y)² or Σ (ŷ − y)², either way proportional to mse
    assertTrue(Json.num(o.get("loss")).asDouble() > 0, r::toString);
  }

  // ---- predict --------------------------------------------------------------------------------------

  @Test
  void predictWritesOneRowPerInputRowPlusHeader() throws IOException {
    String m = path("p.dtrm");
    ok("train", "--data", IRIS, "--epochs", "2", "--quiet", "--save-model", m);
    Path in = Files.writeString(dir.resolve("five.csv"),
        "sepal_length,sepal_width,petal_length,petal_width,label\n"
            + "5.1,3.5,1.4,0.2,0\n7.0,3.2,4.7,1.4,1\n6.3,3.3,6.0,2.5,2\n5.0,3.6,1.4,0.2,0\n"
            + "\n5.9,3.0,5.1,1.8,2\n");
    Cli.Result r = ok("predict", "--model", m, "--data", in.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(6, lines.size(), r::toString);
    assertEquals("prediction,p0,p1,p2", lines.get(0));
    for (String line : lines.subList(1, 6)) {
      String[] cells = line.split(",");
      assertEquals(4, cells.length, line);
      int cls = Integer.parseInt(cells[0]);
      assertTrue(cls >= 0 && cls < 3, line);
      double sum = 0;
      for (int j = 1; j < 4; j++) sum += Double.parseDouble(cells[j]);
      assertEquals(1.0, sum, 1e-4, "softmax outputs sum to 1: " + line);
    }

    Path out = dir.resolve("pred/out.csv");
    Cli.Result toFile = ok("predict", "--model", m, "--data", in.toString(), "--out", out.toString());
    assertEquals(r.out(), Files.readString(out));
    assertEquals("", toFile.out());
  }

  @Test
  void predictAcceptsACsvWithoutTheLabelColumnAndGivesTheSameOutputs() throws IOException {
    String m = path("u.dtrm");
    ok("train", "--data", IRIS, "--epochs", "2", "--quiet", "--save-model", m);
    Path labelled = Files.writeString(dir.resolve("labelled.csv"),
        "sepal_length,sepal_width,petal_length,petal_width,label\n5.1,3.5,1.4,0.2,0\n6.3,3.3,6.0,2.5,2\n");
    Path unlabelled = Files.writeString(dir.resolve("unlabelled.csv"),
        "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.3,3.3,6.0,2.5\n");
    assertEquals(ok("predict", "--model", m, "--data", labelled.toString()).out(),
        ok("predict", "--model", m, "--data", unlabelled.toString()).out());
    Cli.Result evaluate = run("evaluate", "--model", m, "--data", unlabelled.toString());
    assertEquals(2, evaluate.code(), "evaluate still needs labels: " + evaluate);
    assertTrue(evaluate.err().contains("label"), evaluate.err());
  }

  // ---- job files --------------------------------------------------------------------------------------

  @Test
  void jobFileWorksAndFlagsOverrideIt() throws IOException {
    String m = path("job.dtrm");
    String metrics = path("job.csv");
    Path job = Files.writeString(dir.resolve("job.conf"), String.join("\n",
        "# a small iris job",
        "data = \"" + IRIS + "\"",
        "layers = \"auto,5,auto\"",
        "epochs = 4",
        "batch-size = 50",
        "seed = 7",
        "lr = 0.05",
        "quiet = true",
        "save-model = \"" + m + "\"",
        "metrics-out = \"" + metrics + "\"",
        ""));
    Cli.Result r = ok("train", "--config", job.toString(), "--epochs", "2", "--seed", "9");
    assertEquals("", r.out(), "quiet = true from the job file");
    Model model = load(m);
    assertEquals(5, model.spec().layer(0).out(), "layers from the job file");
    assertEquals(9, model.runInfo().seed(), "--seed overrides the job file");
    assertEquals(6, model.runInfo().steps(), "--epochs 2 overrides, batch-size 50 from the file: 2 x 3");
    assertEquals(3, Files.readAllLines(Path.of(metrics)).size(), "header + 2 epochs");
    assertTrue(model.runInfo().config().contains("lr") && model.runInfo().config().contains("0.05"),
        model.runInfo().config());
  }
}
