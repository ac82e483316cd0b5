package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dtrain.cli.Main;
import org.dtrain.data.Dataset;
import org.dtrain.data.ShardPlan;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Initializer;
import org.dtrain.nn.InputColumns;
import org.dtrain.nn.Parameters;
import org.dtrain.worker.ShardData;
import org.dtrain.worker.StepRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md, "The one invariant": the trained weights are a function of data, model, hyperparameters,
 * seed and shard count only. The worker count, the transport (protobuf round trips) and the driver
 * (actors or a plain loop) change no bit; the gradient average is weighted by sample count.
 */
class ClusterInvariantTest {
  private static final String IRIS = Recipes.DATA + "iris.csv";
  private static final int[] WORKER_COUNTS = {1, 2, 3, 4, 8};

  @TempDir Path dir;

  // ---- through the command line: train, then export the weights as JSON ---------------------------

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      code = Main.run(args, o, e);
    }
    assertEquals(0, code, () -> String.join(" ", args) + "\n--- stdout ---\n" + out
        + "--- stderr ---\n" + err);
    return out.toString();
  }

  /** Trains iris with {@code extra} flags on {@code workers} workers; returns the JSON export. */
  private String trainAndExport(String name, int workers, String... extra) throws IOException {
    Path model = dir.resolve(name + "-w" + workers + ".dtrm");
    Path json = dir.resolve(name + "-w" + workers + ".json");
    List<String> args = new ArrayList<>(List.of("train", "--data", IRIS, "--layers", "auto,6,auto",
        "--scale", "standard", "--seed", "11", "--quiet", "--save-model", model.toString(),
        "--workers", String.valueOf(workers)));
    args.addAll(List.of(extra));
    cli(args.toArray(String[]::new));
    cli("export", "--model", model.toString(), "--format", "json", "--out", json.toString());
    return Files.readString(json);
  }

  private void sameJsonOnEveryWorkerCount(String name, String... flags) throws IOException {
    String reference = trainAndExport(name, WORKER_COUNTS[0], flags);
    assertTrue(reference.contains("\"weights\""), reference);
    for (int i = 1; i < WORKER_COUNTS.length; i++) {
      int k = WORKER_COUNTS[i];
      assertEquals(reference, trainAndExport(name, k, flags),
          name + ": --workers " + k + " must write the same weights as --workers 1");
    }
    String untrained = trainAndExport(name + "-init", 1, withSteps0(flags));
    assertNotEquals(untrained, reference, name + ": training changed the weights");
  }

  /** The flags with the run cut to 0 steps: the initialised model. */
  private static String[] withSteps0(String[] flags) {
    List<String> out = new ArrayList<>(List.of(flags));
    out.addAll(List.of("--steps", "0"));
    return out.toArray(String[]::new);
  }

  @Test
  void minibatchSgdIsTheSameOnOneToEightWorkers() throws IOException {
    sameJsonOnEveryWorkerCount("sgd", "--shards", "8", "--optimizer", "sgd", "--lr", "0.1",
        "--batch-size", "32", "--epochs", "2");
  }

  @Test
  void adamIsTheSameOnOneToEightWorkers() throws IOException {
    sameJsonOnEveryWorkerCount("adam", "--shards", "8", "--optimizer", "adam", "--lr", "0.01",
        "--batch-size", "32", "--epochs", "2");
  }

  @Test
  void fullBatchGradientDescentIsTheSameOnOneToEightWorkers() throws IOException {
    sameJsonOnEveryWorkerCount("full", "--shards", "8", "--optimizer", "sgd", "--lr", "0.5",
        "--batch-size", "full", "--epochs", "8");
  }

  // ---- through the API: the cluster against the single-process trainer ------------------------------

  private static Job irisJob(Object... more) {
    List<Object> kv = new ArrayList<>(List.of("data", IRIS, "layers", "auto,6,auto",
        "scale", "standard", "seed", 5, "optimizer", "momentum", "lr", 0.05, "batch-size", 16,
        "epochs", 2));
    kv.addAll(List.of(more));
    return Recipes.job(kv.toArray());
  }

  private static TrainingLoop loop(Job job) {
    return new TrainingLoop(job.plan(), null, new TrainingListener() {});
  }

  /** The single-process trainer: every shard in this thread, added in the shard tree. */
  private static Parameters single(Job job, ShardPlan plan) {
    return Recipes.singleProcess(job, plan).parameters();
  }

  private static Parameters cluster(Job job, ShardPlan plan, int workers, Config overrides) {
    return LocalCluster.train(loop(job), job.train(), plan, workers,
        LocalCluster.Options.defaults().withOverrides(overrides)).parameters();
  }

  /** Every parameter with the very same bits (also used by the other invariant tests). */
  static void assertSameBits(Parameters expected, Parameters actual, String what) {
    float[] e = expected.toArray();
    float[] a = actual.toArray();
    assertEquals(e.length, a.length, what);
    for (int i = 0; i < e.length; i++) {
      final int at = i;
      assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]),
          () -> what + ": parameter " + at + " is " + a[at] + ", expected " + e[at]);
    }
  }

  @Test
  void oneWorkerOneShardIsExactlyTheSingleProcessTrainer() {
    Job job = irisJob();
    ShardPlan one = new ShardPlan(job.train().rows(), 1);
    Parameters reference = single(job, one);
    Parameters init = Parameters.zeros(job.plan().spec());
    Initializer.initialize(init, job.plan().seed());
    assertFalse(java.util.Arrays.equals(init.toArray(), reference.toArray()), "it trained");
    assertSameBits(reference, cluster(job, one, 1, ConfigFactory.empty()), "1 worker, 1 shard");
  }

  @Test
  void threeWorkersOnEightShardsAreExactlyTheSingleProcessTrainerOnEightShards() {
    Job job = irisJob("optimizer", "adam", "lr", 0.01);
    ShardPlan eight = new ShardPlan(job.train().rows(), 8);
    assertSameBits(single(job, eight), cluster(job, eight, 3, ConfigFactory.empty()),
        "3 workers, 8 shards");
  }

  @Test
  void shardsWithUnusedInputColumnsAreExactlyTheSingleProcessTrainer() {
    // digits: 4 shards of ~449 rows, each with 4-9 pixel columns that are 0 in all its rows, so
    // every full-batch step runs the first layer over the used columns only (InputColumns)
    Job job = Recipes.job("data", Recipes.DATA + "digits.csv.gz", "layers", "auto,16,auto",
        "scale", "minmax", "seed", 3, "optimizer", "momentum", "lr", 0.2, "batch-size", "full",
        "epochs", 3);
    ShardPlan four = new ShardPlan(job.train().rows(), 4);
    int features = job.train().features();
    for (int s = 0; s < 4; s++) {
      float[] rows = java.util.Arrays.copyOfRange(job.train().x(), four.start(s) * features,
          (four.start(s) + four.size(s)) * features);
      InputColumns columns = InputColumns.of(rows, four.size(s), features);
      assertTrue(columns.narrows(four.size(s)), "shard " + s + " must use narrowed rows, uses "
          + columns.used() + " of " + features + " columns");
    }
    Parameters reference = single(job, four);
    for (int workers : new int[] {1, 3}) {
      assertSameBits(reference, cluster(job, four, workers, ConfigFactory.empty()),
          workers + " workers, 4 shards, narrowed first layer");
    }
  }

  @Test
  void zeroStepsOnTheClusterGiveTheInitialisedWeights() {
    Job job = irisJob("steps", 0);
    Parameters init = Parameters.zeros(job.plan().spec());
    Initializer.initialize(init, job.plan().seed());
    assertSameBits(init, cluster(job, new ShardPlan(job.train().rows(), 8), 3,
        ConfigFactory.empty()), "--steps 0");
  }

  @Test
  void protobufRoundTripsOfEveryMessageChangeNoBit() {
    Config serialize = ConfigFactory.parseString("akka.actor.serialize-messages = on");
    // the setting takes, dtrain messages go through the protobuf serializer, never Java's
    Config akka = LocalCluster.config(3, serialize);
    assertTrue(akka.getBoolean("akka.actor.serialize-messages"));
    assertFalse(akka.getBoolean("akka.actor.allow-java-serialization"));
    assertEquals("dtrain", akka.getConfig("akka.actor.serialization-bindings")
        .root().get("org.dtrain.protocol.Message").unwrapped());

    Job job = irisJob("optimizer", "adam", "lr", 0.01);
    ShardPlan plan = new ShardPlan(job.train().rows(), 8);
    Parameters plain = cluster(job, plan, 3, ConfigFactory.empty());
    assertSameBits(plain, cluster(job, plan, 3, serialize), "serialize-messages = on");
    assertSameBits(single(job, plan), plain, "the single-process trainer");
  }

  // ---- the average is weighted by sample count --------------------------------------------------------

  /** |a - b| within {@code rel} of the larger magnitude (or of 1e-3 for weights near zero). */
  private static void assertClose(Parameters expected, Parameters actual, double rel, String what) {
    float[] e = expected.toArray();
    float[] a = actual.toArray();
    for (int i = 0; i < e.length; i++) {
      double scale = Math.max(1e-3, Math.max(Math.abs(e[i]), Math.abs(a[i])));
      final int at = i;
      assertTrue(Math.abs(e[i] - a[i]) <= rel * scale,
          () -> what + ": parameter " + at + " is " + a[at] + ", expected " + e[at]);
    }
  }

  @Test
  void unevenShardsAreAveragedBySampleCount() {
    Job job = irisJob("batch-size", "full", "optimizer", "sgd", "lr", 0.5, "epochs", 30);
    int rows = job.train().rows();
    assertEquals(150, rows);
    Parameters whole = single(job, new ShardPlan(rows, 1));
    for (int[] sk : new int[][] {{7, 3}, {16, 5}}) {
      ShardPlan uneven = new ShardPlan(rows, sk[0]);
      assertNotEquals(uneven.size(0), uneven.size(sk[0] - 1), "shards of different sizes");
      assertClose(whole, cluster(job, uneven, sk[1], ConfigFactory.empty()), 1e-5,
          sk[0] + " uneven shards on " + sk[1] + " workers");
    }
  }

  /**
   * The check above can fail: averaging the shards' mean gradients, each shard counting once, gives
   * another gradient than the mean over all rows, by far more than the tolerance.
   */
  @Test
  void aMeanOfShardMeansWouldDifferFromTheSampleWeightedMean() {
    Job job = irisJob("batch-size", "full");
    Dataset train = job.train();
    ShardPlan plan = new ShardPlan(train.rows(), 7);
    Parameters w = Parameters.zeros(job.plan().spec());
    Initializer.initialize(w, job.plan().seed());
    int n = w.count();
    double[] weighted = new double[n];
    double[] unweighted = new double[n];
    int total = 0;
    for (int s = 0; s < plan.shards(); s++) {
      ShardData d = ShardData.slice(s, train.x(), train.y(), train.features(), train.outputs(),
          plan.start(s), plan.size(s));
      Parameters g = Parameters.zeros(job.plan().spec());
      BatchStats st = new StepRunner(job.plan().spec(), d, job.plan().seed(),
          job.plan().stepsPerEpoch(), true).run(w, 0, 0, g);
      assertEquals(plan.size(s), st.samples(), "full batch: every row of the shard");
      total += st.samples();
      float[] v = g.toArray();
      for (int i = 0; i < n; i++) {
        weighted[i] += v[i];
        unweighted[i] += v[i] / st.samples() / plan.shards();
      }
    }
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double mean = weighted[i] / total;
      worst = Math.max(worst, Math.abs(mean - unweighted[i]) / Math.max(1e-3, Math.abs(mean)));
    }
    assertTrue(worst > 1e-3, "relative difference " + worst);
  }
}
