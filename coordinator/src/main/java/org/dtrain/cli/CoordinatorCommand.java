package org.dtrain.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dtrain.coordinator.RemoteCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dtrain coordinator}: trains with worker processes that join over Akka Cluster. */
@Command(name = "coordinator", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the coordinator of a multi-node job: an Akka Cluster node (role coordinator, the seed node) that waits for --workers worker processes (`dtrain worker --coordinator HOST:PORT`), ships them their shards and trains.",
        "Takes every option of `dtrain train`. The trained weights are byte-identical to `dtrain train` with the same data, seed and --shards."},
    footer = {"", "Examples:",
        "  dtrain coordinator --workers 3 --data examples/data/iris.csv --layers auto,16,auto --save-model iris.dtrm",
        "  dtrain worker --coordinator 127.0.0.1:25520      (three times, on any hosts)",
        "", "Exit codes: 0 success, 2 bad input or usage, 1 failure while running (e.g. the workers did not come)."})
final class CoordinatorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin JobOptions job;
  @Mixin TrainOptions train;
  @Mixin TlsOptions tls;
  @Mixin FailureOptions failure;
  @Mixin ReductionOptions reduction;

  @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to listen on and announce to workers (default: ${DEFAULT-VALUE}).")
  String bind;
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "25520", description = "Cluster port (default: ${DEFAULT-VALUE}).")
  String port;
  @Option(names = "--wait-for-workers", paramLabel = "TIME", defaultValue = "120s", description = "Give up, naming who joined, when fewer than --workers have joined by then (default: ${DEFAULT-VALUE}).")
  String waitForWorkers;
  @Option(names = "--data-on-workers", description = "Every worker reads --data itself (the same file at the same path on every node; relative paths from its working directory) and checks its shards against the coordinator's checksums, instead of receiving the rows. A worker keeps only its own shards.")
  Boolean dataOnWorkers;

  @Option(names = "--min-workers", paramLabel = "N", defaultValue = "1", description = "When fewer workers than this are alive during the job, it pauses (\"waiting for workers\") until more join, and fails after --wait-for-workers (default: ${DEFAULT-VALUE}). A lost worker's shards move to the others either way.")
  int minWorkers;
  @Option(names = "--data-port", paramLabel = "PORT", defaultValue = "0", description = "Port of the workers' data links, which carry the weights and gradients (default: ${DEFAULT-VALUE}, any free port; set one to open it in a firewall).")
  String dataPort;
  @Option(names = "--data-plane", paramLabel = "netty|artery", defaultValue = "netty", description = "How the tensors travel: netty, one direct TCP (with --tls, TLS) link per worker; or artery, over the cluster's own transport like every other message (slower; see docs/PERFORMANCE.md). Default: ${DEFAULT-VALUE}.")
  String dataPlane;

  @Override
  public Integer call() throws IOException {
    if (train.workers == null) {
      throw new IllegalArgumentException("--workers: expected the number of worker processes to wait for, found none");
    }
    if (reduction.reduction().isTree()) {
      throw new IllegalArgumentException("--reduction: expected star with dtrain coordinator (tree"
          + " reduction runs with the workers in one JVM: dtrain train), found 'tree'");
    }
    int p = HostPort.port("--port", port, false);
    Duration wait = Durations.parse("--wait-for-workers", waitForWorkers);
    Duration stepTimeout = train.stepTimeout(); // checked before anything starts
    if (minWorkers < 1 || minWorkers > train.workers) {
      throw new IllegalArgumentException("--min-workers: expected 1 to --workers (" + train.workers
          + "), found " + minWorkers);
    }
    int links = switch (dataPlane) {
      case "netty" -> HostPort.port("--data-port", dataPort, true);
      case "artery" -> -1;
      default -> throw new IllegalArgumentException("--data-plane: expected netty or artery, found '"
          + dataPlane + "'");
    };
    Map<String, Object> akka = failure.akkaSettings(tls.akkaSettings(System.getenv()));
    Map<String, Object> extra = dataOnWorkers == null ? Map.of()
        : Map.of("data-on-workers", dataOnWorkers);
    return train.run(spec, job, extra, (loop, j, status) -> RemoteCluster.train(loop,
        j.train(), j.shards(), j.workers(), minWorkers, bind, p, wait, stepTimeout,
        j.workerDataConfig(), links, akka, status));
  }
}
