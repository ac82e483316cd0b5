package org.dtrain.coordinator;

import java.util.ArrayList;
import java.util.List;
import org.dtrain.data.DataOptions;
import org.dtrain.data.DataReader;
import org.dtrain.data.Dataset;
import org.dtrain.data.EpochSampler;
import org.dtrain.data.LabeledTable;
import org.dtrain.data.Scaler;
import org.dtrain.data.ShardPlan;
import org.dtrain.nn.Activation;
import org.dtrain.nn.Loss;
import org.dtrain.nn.LrSchedule;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.OptimizerConfig;
import org.dtrain.protocol.MessageCodec;

/**
 * A job resolved from its configuration: data read, split and scaled, the model spec built from
 * {@code --layers} and the data, the optimizer and schedule checked. Everything a user can get wrong
 * fails here, before training starts, with a message naming the flag or job-file key.
 */
public record Job(JobConfig config, Dataset train, Dataset test, Scaler scaler, String datasetSha256,
    TrainingPlan plan, int batchSize, ShardPlan shards, int workers, List<String> warnings) {
  /** Below this many rows of a batch, a shard's GEMMs run far below the CPU's peak. */
  static final int SMALL_SHARD_BATCH = 16;

  /**
   * What a worker needs to read the training rows itself ({@code --data-on-workers}): the rendered
   * job, or null when the coordinator ships the rows.
   */
  public String workerDataConfig() {
    return config.bool("data-on-workers") ? config.render() : null;
  }

  /**
   * The training rows of a job rendered by {@link JobConfig#render()}: the same file read, split,
   * scaled and encoded as on the coordinator. Relative paths are resolved against this process's
   * working directory. The data loader of a {@code dtrain worker}.
   */
  public static Dataset trainingRows(String renderedJob) {
    return resolve(JobConfig.forWorker(renderedJob)).train();
  }

  public static Job resolve(JobConfig c) {
    long seed = c.integer("seed");
    String dataSpec = c.string("data");
    if (dataSpec == null) {
      throw new IllegalArgumentException("--data: expected a data file or synthetic:NAME, found none");
    }
    Loss loss = c.checked("loss", () -> Loss.parse(c.string("loss")));
    Activation hidden = c.checked("hidden-activation",
        () -> Activation.parse(c.string("hidden-activation")));
    String outText = c.string("output-activation");
    Activation output = outText.equals("auto") ? defaultOutput(loss)
        : c.checked("output-activation", () -> Activation.parse(outText));
    String[] sizes = c.string("layers").split(",");
    if (sizes.length < 2) {
      throw new IllegalArgumentException(c.where("layers")
          + "expected at least an input and an output size like 784,256,10 or auto,64,auto, found '"
          + c.string("layers") + "'");
    }

    DataOptions options = dataOptions(c, seed);
    LabeledTable table = DataReader.read(dataSpec, options);
    String lastSize = sizes[sizes.length - 1].trim();
    int outputs = lastSize.equals("auto") ? autoOutputs(table, loss)
        : parseSize(c, lastSize, sizes.length - 1);
    Dataset all = toTask(table, loss, outputs);
    Dataset train;
    Dataset test = null;
    String testSpec = c.string("test-data");
    double fraction = c.number("test-fraction");
    if (testSpec != null && fraction != 0) {
      throw new IllegalArgumentException("--test-fraction: give --test-data or --test-fraction, not both");
    }
    if (testSpec != null) {
      train = all;
      test = toTask(DataReader.read(testSpec, options), loss, outputs);
      train.requireSameFeatures(test);
    } else if (fraction != 0) {
      Dataset.Split split = all.split(fraction, seed);
      train = split.train();
      test = split.test();
    } else {
      train = all;
    }

    int[] layerSizes = new int[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      String s = sizes[i].trim();
      if (s.equals("auto")) {
        if (i != 0 && i != sizes.length - 1) {
          throw new IllegalArgumentException(c.where("layers")
              + "'auto' is only allowed for the first and last size, found it at position " + (i + 1));
        }
        layerSizes[i] = i == 0 ? train.features() : outputs;
      } else {
        layerSizes[i] = parseSize(c, s, i);
      }
    }
    if (layerSizes[0] != train.features()) {
      throw new IllegalArgumentException(c.where("layers") + "the input layer has " + layerSizes[0]
          + " units but " + train.source() + " has " + train.features() + " features (use auto)");
    }
    long parameters = 0;
    for (int i = 1; i < layerSizes.length; i++) {
      parameters += (long) layerSizes[i - 1] * layerSizes[i] + layerSizes[i];
    }
    if (parameters > MessageCodec.MAX_TOTAL) {
      throw new IllegalArgumentException(c.where("layers") + "expected at most "
          + MessageCodec.MAX_TOTAL + " parameters (2^28 floats, the largest tensor a dtrain message"
          + " carries), found " + parameters + " in " + c.string("layers"));
    }
    // The message names the flag that chose the offending activation (hidden only if there is a
    // hidden layer), not --layers; ModelSpec checks the hidden layers before the output layer.
    boolean hasHidden = layerSizes.length > 2;
    ModelSpec built = c.checked(
        hasHidden && hidden.kind() == Activation.Kind.SOFTMAX ? "hidden-activation" : "output-activation",
        () -> ModelSpec.of(layerSizes, hidden, output, loss));
    ModelSpec spec = c.checked(
        hasHidden && hidden.kind() == Activation.Kind.STEP ? "hidden-activation" : "output-activation",
        built::requireTrainable);

    Scaler.Kind scaleKind = c.checked("scale", () -> Scaler.Kind.parse(c.string("scale")));
    String sha = train.sha256();
    Scaler scaler = Scaler.fit(scaleKind, train);
    train = scaler.apply(train);
    test = test == null ? null : scaler.apply(test);

    String batchText = c.string("batch-size");
    boolean full = batchText.equals("full");
    int batch;
    if (full) {
      batch = train.rows();
    } else {
      long b = c.integer("batch-size");
      if (b <= 0) {
        throw new IllegalArgumentException(c.where("batch-size")
            + "expected a positive number of rows or 'full', found " + batchText);
      }
      batch = (int) Math.min(b, train.rows());
    }
    int stepsPerEpoch = EpochSampler.stepsPerEpoch(train.rows(), batch);
    long totalSteps;
    if (c.isSet("steps")) {
      totalSteps = c.integer("steps");
      if (totalSteps < 0) {
        throw new IllegalArgumentException(c.where("steps") + "expected 0 or more, found " + totalSteps);
      }
    } else {
      long epochs = c.integer("epochs");
      if (epochs < 0) {
        throw new IllegalArgumentException(c.where("epochs") + "expected 0 or more, found " + epochs);
      }
      totalSteps = epochs * stepsPerEpoch;
    }

    OptimizerConfig.Kind kind = c.checked("optimizer",
        () -> OptimizerConfig.parseKind(c.string("optimizer")));
    float momentum = (float) c.number("momentum");
    float decay = (float) c.number("weight-decay");
    OptimizerConfig withMomentum =
        c.checked("momentum", () -> OptimizerConfig.of(kind).withMomentum(momentum));
    OptimizerConfig opt = c.checked("weight-decay", () -> withMomentum.withWeightDecay(decay));
    long warmup = c.integer("warmup-steps");
    if (warmup < 0) {
      throw new IllegalArgumentException(c.where("warmup-steps") + "expected 0 or more, found " + warmup);
    }
    float lr = (float) c.number("lr");
    LrSchedule.Kind schedKind = c.checked("lr-schedule",
        () -> LrSchedule.parseKind(c.string("lr-schedule")));
    LrSchedule schedule = c.checked("lr", () -> new LrSchedule(schedKind, lr, totalSteps, warmup, 0, 0.1f));
    boolean accuracy = loss.classification() || binaryTargets(train);
    TrainingPlan plan = new TrainingPlan(spec, opt, schedule, seed, stepsPerEpoch, totalSteps, full,
        accuracy);
    ShardPlan shards = shardPlan(c, train.rows());
    int workers = workers(c, shards);
    List<String> warnings = new ArrayList<>();
    int perShard = EpochSampler.maxRowsPerStep(train.rows() / shards.shards(), stepsPerEpoch);
    if (!full && perShard < SMALL_SHARD_BATCH && batch >= 2 * SMALL_SHARD_BATCH
        && shards.shards() > 1) {
      warnings.add("each of the " + shards.shards() + " shards computes about " + perShard
          + " rows per step (batch " + batch + "); GEMMs that small run far below the CPU's peak"
          + " (use fewer --shards or a larger --batch-size)");
    }
    return new Job(c, train, test, scaler, sha, plan, batch, shards, workers, List.copyOf(warnings));
  }

  private static ShardPlan shardPlan(JobConfig c, int rows) {
    boolean given = c.isGiven("shards");
    long s = c.integer("shards");
    if (s <= 0) {
      throw new IllegalArgumentException(c.where("shards") + "expected a positive number of shards, found " + s);
    }
    if (s > rows) {
      if (!given) return new ShardPlan(rows, rows);
      throw new IllegalArgumentException(c.where("shards") + "expected at most the " + rows
          + " training rows (every shard needs a row), found " + s);
    }
    return new ShardPlan(rows, (int) s);
  }

  private static int workers(JobConfig c, ShardPlan shards) {
    long k = c.integer("workers");
    if (k < 0) {
      throw new IllegalArgumentException(c.where("workers") + "expected a positive number of workers or 0 for the number of cores, found " + k);
    }
    if (k == 0) {
      return Math.min(Runtime.getRuntime().availableProcessors(), shards.shards());
    }
    if (k > shards.shards()) {
      throw new IllegalArgumentException(c.where("workers") + "expected at most --shards "
          + shards.shards() + " workers (each hosts at least one shard), found " + k);
    }
    return (int) k;
  }

  static Activation defaultOutput(Loss loss) {
    return switch (loss) {
      case CROSS_ENTROPY -> Activation.of(Activation.Kind.SOFTMAX);
      case BINARY_CROSS_ENTROPY -> Activation.of(Activation.Kind.SIGMOID);
      default -> Activation.of(Activation.Kind.IDENTITY);
    };
  }

  private static int autoOutputs(LabeledTable t, Loss loss) {
    if (!loss.classification()) {
      return 1;
    }
    if (loss == Loss.BINARY_CROSS_ENTROPY && t.labelsAreBinary()) {
      return 1;
    }
    return Math.max(2, t.inferNumClasses());
  }

  private static Dataset toTask(LabeledTable t, Loss loss, int outputs) {
    return loss.classification() ? Dataset.classification(t, outputs) : Dataset.regression(t);
  }

  private static int parseSize(JobConfig c, String s, int position) {
    try {
      int v = Integer.parseInt(s);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(c.where("layers") + "expected a positive size or auto at position "
        + (position + 1) + ", found '" + s + "'");
  }

  private static DataOptions dataOptions(JobConfig c, long seed) {
    return DataOptions.defaults()
        .withLabel(c.string("label"))
        .withSyntheticRows((int) c.integer("synthetic-rows"))
        .withSyntheticSeed(seed)
        .withSyntheticClasses((int) c.integer("synthetic-classes"))
        .withSyntheticFeatures((int) c.integer("synthetic-features"))
        .withSyntheticNoise(c.number("synthetic-noise"));
  }

  private static boolean binaryTargets(Dataset d) {
    for (float v : d.y()) {
      if (v != 0f && v != 1f) {
        return false;
      }
    }
    return true;
  }
}
