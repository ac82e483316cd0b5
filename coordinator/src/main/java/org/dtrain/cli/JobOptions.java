package org.dtrain.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The model, data and optimisation flags shared by {@code train} and {@code gradcheck}. Every flag is
 * also a job-file key of the same name ({@code --batch-size} is {@code batch-size}); flags given here
 * override the job file. Defaults live in one place, job-reference.conf, and are shown in --help.
 */
public final class JobOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "HOCON job file with the same keys as these flags; flags override it.")
  Path config;

  @Option(names = "--data", paramLabel = "D", description = "Training data: CSV (header row, .csv.gz too), MNIST IDX images (labels found beside), or synthetic:xor|and|or|blobs|circles|spiral|teacher. Without it, train runs the default job (MNIST 10k).")
  String data;
  @Option(names = "--test-data", paramLabel = "T", description = "Held-out data in the same format.")
  String testData;
  @Option(names = "--test-fraction", paramLabel = "F", description = "Hold out a seeded fraction of the rows for testing (default: none).")
  Double testFraction;
  @Option(names = "--label", paramLabel = "NAME", description = "CSV label column (default: label).")
  String label;

  @Option(names = "--layers", paramLabel = "SIZES", description = "Layer sizes, e.g. 784,256,128,10 or auto,256,128,auto (auto = from the data; default auto,64,auto).")
  String layers;
  @Option(names = "--hidden-activation", paramLabel = "G", description = "identity, sigmoid, tanh, relu, leaky_relu[:slope] (default relu).")
  String hiddenActivation;
  @Option(names = "--output-activation", paramLabel = "G", description = "Default: softmax for cross_entropy, sigmoid for binary_cross_entropy, identity otherwise.")
  String outputActivation;
  @Option(names = "--loss", paramLabel = "L", description = "mse, mae, binary_cross_entropy, cross_entropy (default cross_entropy).")
  String loss;

  @Option(names = "--optimizer", paramLabel = "O", description = "sgd, momentum, adam (default sgd).")
  String optimizer;
  @Option(names = "--lr", paramLabel = "ALPHA", description = "Learning rate > 0 (default 0.1).")
  Double lr;
  @Option(names = "--momentum", paramLabel = "MU", description = "Momentum μ in [0, 1) (default 0.9).")
  Double momentum;
  @Option(names = "--weight-decay", paramLabel = "LAMBDA", description = "L2 weight decay on weight matrices (default 0).")
  Double weightDecay;
  @Option(names = "--lr-schedule", paramLabel = "S", description = "constant, step, cosine (default constant).")
  String lrSchedule;
  @Option(names = "--warmup-steps", paramLabel = "N", description = "Linear learning-rate warmup over N steps (default 0).")
  Long warmupSteps;

  @Option(names = "--batch-size", paramLabel = "B", description = "Rows per step, or full for full-batch gradient descent (default 64).")
  String batchSize;
  @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training rows (default 10).")
  Long epochs;
  @Option(names = "--steps", paramLabel = "N", description = "Train exactly N steps instead (0 writes the initialised model).")
  Long steps;
  @Option(names = "--seed", paramLabel = "SEED", description = "Seeds initialisation, splits and sampling (default 1).")
  Long seed;
  @Option(names = "--scale", paramLabel = "K", description = "Feature scaling fitted on training rows: none, standard, minmax (default none).")
  String scale;

  @Option(names = "--synthetic-rows", paramLabel = "N", description = "Rows of synthetic data (default: the generator's).")
  Long syntheticRows;
  @Option(names = "--synthetic-classes", paramLabel = "K", description = "Classes of synthetic blobs/spiral.")
  Long syntheticClasses;
  @Option(names = "--synthetic-features", paramLabel = "N", description = "Features of synthetic blobs/teacher.")
  Long syntheticFeatures;
  @Option(names = "--synthetic-noise", paramLabel = "X", description = "Noise of the synthetic generator.")
  Double syntheticNoise;

  /** The flags given, keyed by job-file key. */
  Map<String, Object> flags() {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "data", data);
    put(m, "test-data", testData);
    put(m, "test-fraction", testFraction);
    put(m, "label", label);
    put(m, "layers", layers);
    put(m, "hidden-activation", hiddenActivation);
    put(m, "output-activation", outputActivation);
    put(m, "loss", loss);
    put(m, "optimizer", optimizer);
    put(m, "lr", lr);
    put(m, "momentum", momentum);
    put(m, "weight-decay", weightDecay);
    put(m, "lr-schedule", lrSchedule);
    put(m, "warmup-steps", warmupSteps);
    put(m, "batch-size", batchSize);
    put(m, "epochs", epochs);
    put(m, "steps", steps);
    put(m, "seed", seed);
    put(m, "scale", scale);
    put(m, "synthetic-rows", syntheticRows);
    put(m, "synthetic-classes", syntheticClasses);
    put(m, "synthetic-features", syntheticFeatures);
    put(m, "synthetic-noise", syntheticNoise);
    return m;
  }

  static void put(Map<String, Object> m, String key, Object v) {
    if (v != null) {
      m.put(key, v);
    }
  }
}
