package org.dtrain.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dtrain.data.Dataset;
import org.dtrain.data.ShardPlan;
import org.dtrain.nn.Activation;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Initializer;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Parameters;
import org.dtrain.protocol.AssignShards;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.JobSpec;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.ShardChunk;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.ShardInfo;
import org.dtrain.protocol.StartStep;

/**
 * A small job as the coordinator would ship it (data, shards, weights, the messages), and the
 * reference: each step's partials computed directly with {@link StepRunner} and {@link ShardTree}.
 */
final class JobFixture {
  /** 4-5-3 relu/softmax: 43 parameters. */
  static final ModelSpec SMALL = ModelSpec.of(new int[] {4, 5, 3},
      Activation.of(Activation.Kind.RELU), Activation.of(Activation.Kind.SOFTMAX),
      Loss.CROSS_ENTROPY);

  /** 5-2000-20-3 tanh/softmax: 52,083 parameters, more than one {@link FloatChunk#MAX_FLOATS}. */
  static final ModelSpec WIDE = ModelSpec.of(new int[] {5, 2000, 20, 3},
      Activation.of(Activation.Kind.TANH), Activation.of(Activation.Kind.SOFTMAX),
      Loss.CROSS_ENTROPY);

  final String jobId;
  final ModelSpec spec;
  final int shards;
  final long seed;
  final int stepsPerEpoch;
  final ShardData[] data; // by shard id
  final int rows;
  final float[] x; // (rows, features): every training row, as the coordinator holds them
  final float[] y; // (rows, outputs)

  JobFixture(String jobId, ModelSpec spec, int shards, int rows, long seed, int stepsPerEpoch) {
    this.jobId = jobId;
    this.spec = spec;
    this.shards = shards;
    this.seed = seed;
    this.stepsPerEpoch = stepsPerEpoch;
    int f = spec.inputs();
    int o = spec.outputs();
    Random r = new Random(seed);
    this.rows = rows;
    x = new float[rows * f];
    y = new float[rows * o];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
    for (int i = 0; i < rows; i++) y[i * o + r.nextInt(o)] = 1f;
    ShardPlan plan = new ShardPlan(rows, shards);
    data = new ShardData[shards];
    for (int s = 0; s < shards; s++) {
      data[s] = ShardData.slice(s, x, y, f, o, plan.start(s), plan.size(s));
    }
  }

  Header header(long step) {
    return Header.of(jobId, step);
  }

  JobSpec jobSpec() {
    return new JobSpec(header(0), spec, seed, shards, stepsPerEpoch, false, spec.inputs(),
        spec.outputs());
  }

  ShardInfo info(int shard) {
    return new ShardInfo(shard, data[shard].rows(), data[shard].sha256());
  }

  AssignShards assign(int... hosted) {
    List<ShardInfo> infos = new ArrayList<>();
    for (int s : hosted) infos.add(info(s));
    return new AssignShards(header(0), infos);
  }

  /** AssignShards of --data-on-workers: the worker reads the rows itself with {@code config}. */
  AssignShards assignReading(String config, int... hosted) {
    List<ShardInfo> infos = new ArrayList<>();
    for (int s : hosted) infos.add(info(s));
    return new AssignShards(header(0), infos, config, rows);
  }

  /** Every training row as a data set (what a worker's data loader returns). */
  Dataset dataset(String source) {
    String[] names = new String[spec.inputs()];
    for (int i = 0; i < names.length; i++) names[i] = "f" + i;
    return Dataset.of(source, names, x.clone(), y.clone(), null, spec.outputs());
  }

  /** The rows of a shard as the coordinator ships them: x, then y, each cut by FloatChunk.split. */
  List<ShardChunk> rows(int shard) {
    List<ShardChunk> out = new ArrayList<>();
    for (FloatChunk c : FloatChunk.split(data[shard].x())) {
      out.add(new ShardChunk(header(0), shard, ShardChunk.X, c));
    }
    for (FloatChunk c : FloatChunk.split(data[shard].y())) {
      out.add(new ShardChunk(header(0), shard, ShardChunk.Y, c));
    }
    return out;
  }

  /** JobSpec, AssignShards and every row chunk of the hosted shards, in the coordinator's order. */
  List<Message> load(int... hosted) {
    List<Message> out = new ArrayList<>();
    out.add(jobSpec());
    out.add(assign(hosted));
    for (int s : hosted) out.addAll(rows(s));
    return out;
  }

  /** Weights from the initialiser with the given seed. */
  float[] weights(long initSeed) {
    Parameters p = Parameters.zeros(spec);
    Initializer.initialize(p, initSeed);
    float[] w = p.toArray();
    // non-zero biases too, so that every parameter matters
    Random r = new Random(initSeed);
    for (int l = 0; l < spec.depth(); l++) {
      int b = p.offset(l) + spec.layer(l).in() * spec.layer(l).out();
      for (int i = 0; i < spec.layer(l).out(); i++) w[b + i] = (float) (0.1 * r.nextGaussian());
    }
    return w;
  }

  /** {@code w} cut into windows of at most {@code max} floats (all sharing {@code w}). */
  static List<FloatChunk> chunks(float[] w, int max) {
    List<FloatChunk> out = new ArrayList<>();
    for (int o = 0; o < w.length; o += max) {
      out.add(new FloatChunk(w, o, Math.min(max, w.length - o), o, w.length));
    }
    return out;
  }

  List<StartStep> startStep(long step, long epoch, int stepInEpoch, List<FloatChunk> weights,
      List<Integer> compute) {
    List<StartStep> out = new ArrayList<>();
    for (FloatChunk c : weights) {
      out.add(new StartStep(header(step), epoch, stepInEpoch, compute, c));
    }
    return out;
  }

  /** A subtree sum as the worker sent it, reassembled from its chunks. */
  record Partial(int first, int level, float[] sum, BatchStats stats) {}

  /** The partials the worker should send: its shards computed directly, added in the fixed tree. */
  List<Partial> direct(float[] weights, long epoch, int stepInEpoch, List<Integer> hosted) {
    Parameters w = Parameters.zeros(spec);
    w.values().put(0, weights);
    ShardTree tree = new ShardTree(spec, shards);
    for (int s : hosted) {
      StepRunner runner = new StepRunner(spec, data[s], seed, stepsPerEpoch, false);
      BatchStats st = runner.run(w, epoch, stepInEpoch, tree.buffer(s));
      tree.complete(s, 0, st);
    }
    List<Partial> out = new ArrayList<>();
    for (ShardTree.Node n : tree.tops()) {
      out.add(new Partial(n.first(), n.level(), n.sum().toArray(), n.stats()));
    }
    return out;
  }

  /** One shard's gradient sum and statistics, computed alone. */
  Partial leaf(float[] weights, long epoch, int stepInEpoch, int shard) {
    Parameters w = Parameters.zeros(spec);
    w.values().put(0, weights);
    Parameters g = Parameters.zeros(spec);
    BatchStats st = new StepRunner(spec, data[shard], seed, stepsPerEpoch, false)
        .run(w, epoch, stepInEpoch, g);
    return new Partial(shard, 0, g.toArray(), st);
  }

  /**
   * The partials in {@code replies} (every message must be a ShardGradients of this job and step),
   * reassembled; checks that the chunks of each partial tile it exactly and repeat its statistics.
   */
  List<Partial> reassemble(List<? extends Message> replies, long step, String workerId) {
    Map<Integer, List<ShardGradients>> byFirst = new LinkedHashMap<>();
    for (Message m : replies) {
      if (!(m instanceof ShardGradients g)) {
        fail("expected only ShardGradients, found " + m);
        return List.of();
      }
      assertEquals(header(step), g.header(), "header of " + g);
      assertEquals(workerId, g.workerId());
      byFirst.computeIfAbsent(g.first(), k -> new ArrayList<>()).add(g);
    }
    List<Partial> out = new ArrayList<>();
    int count = spec.parameterCount();
    for (List<ShardGradients> parts : byFirst.values()) {
      ShardGradients head = parts.get(0);
      float[] sum = new float[count];
      boolean[] seen = new boolean[count];
      for (ShardGradients g : parts) {
        assertEquals(head.level(), g.level(), "level of every chunk of a partial");
        assertEquals(head.samples(), g.samples());
        assertEquals(Double.doubleToRawLongBits(head.lossSum()),
            Double.doubleToRawLongBits(g.lossSum()));
        assertEquals(head.correct(), g.correct());
        FloatChunk c = g.gradient();
        assertEquals(count, c.total(), "gradient total");
        for (int i = 0; i < c.length(); i++) {
          assertTrue(!seen[c.offset() + i], "value " + (c.offset() + i) + " sent twice");
          seen[c.offset() + i] = true;
        }
        c.copyTo(sum);
      }
      for (int i = 0; i < count; i++) assertTrue(seen[i], "value " + i + " never sent");
      out.add(new Partial(head.first(), head.level(), sum,
          new BatchStats(head.samples(), head.lossSum(), head.correct())));
    }
    return out;
  }

  /** Same subtrees in the same order, same bits in every sum and statistic. */
  static void assertSamePartials(List<Partial> expected, List<Partial> actual) {
    assertEquals(expected.stream().map(p -> p.first() + "/" + p.level()).toList(),
        actual.stream().map(p -> p.first() + "/" + p.level()).toList(), "(first/level) of partials");
    for (int i = 0; i < expected.size(); i++) {
      Partial e = expected.get(i);
      Partial a = actual.get(i);
      assertArrayEquals(bits(e.sum()), bits(a.sum()), "bits of partial " + e.first() + "/" + e.level());
      assertEquals(e.stats().samples(), a.stats().samples(), "samples");
      assertEquals(Double.doubleToRawLongBits(e.stats().lossSum()),
          Double.doubleToRawLongBits(a.stats().lossSum()), "loss sum bits");
      assertEquals(e.stats().correct(), a.stats().correct(), "correct");
    }
  }

  static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
    return b;
  }

  static List<Integer> ids(int... s) {
    return Arrays.stream(s).boxed().toList();
  }
}
