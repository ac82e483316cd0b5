package org.dtrain.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.dtrain.coordinator.Job;
import org.dtrain.worker.WorkerNode;
import org.dtrain.worker.WorkerProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dtrain worker}: joins a coordinator's cluster and computes its shards until the job ends. */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs a worker of a multi-node job: joins the Akka Cluster of the coordinator at --coordinator (role worker), receives its shards and computes their gradients every step until the job ends."},
    footer = {"", "When the coordinator goes away mid-job the worker joins it again (a coordinator restarted with --resume takes it back); it gives up when a join fails for 60 s. Exit codes: 0 the job finished, 2 bad usage, 1 the job failed, the coordinator could not be reached or refused this worker (e.g. another dtrain version)."})
final class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TlsOptions tls;
  @Mixin FailureOptions failure;

  @Option(names = "--coordinator", paramLabel = "HOST:PORT", required = true, description = "The coordinator's cluster address, e.g. 10.0.0.5:25520.")
  String coordinator;
  @Option(names = "--bind", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to listen on and announce (default: ${DEFAULT-VALUE}).")
  String bind;
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "Cluster port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  String port;

  @Override
  public Integer call() {
    HostPort c = HostPort.parse("--coordinator", coordinator);
    int p = HostPort.port("--port", port, true);
    Map<String, Object> akka = failure.akkaSettings(tls.akkaSettings(System.getenv()));
    WorkerNode.Ended ended = WorkerProcess.run(c.host(), c.port(), bind, p, Job::trainingRows, akka);
    while (ended.coordinatorLost()) { // it may be restarted (with --resume): join it again
      spec.commandLine().getErr().println("dtrain worker: " + ended.reason()
          + "; joining " + coordinator + " again");
      ended = WorkerProcess.run(c.host(), c.port(), bind, p, Job::trainingRows, akka);
    }
    if (ended.ok()) {
      spec.commandLine().getOut().println("dtrain worker: " + ended.reason());
      return Main.OK;
    }
    spec.commandLine().getErr().println("dtrain worker: " + ended.reason());
    return Main.FAILED;
  }
}
