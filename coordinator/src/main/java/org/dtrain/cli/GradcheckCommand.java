package org.dtrain.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dtrain.coordinator.Job;
import org.dtrain.coordinator.JobConfig;
import org.dtrain.nn.GradientCheck;
import org.dtrain.nn.Initializer;
import org.dtrain.nn.Network;
import org.dtrain.nn.Parameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dtrain gradcheck}: backprop against central finite differences, per layer. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Checks backpropagation against central finite differences on the initialised model,",
        "reporting the max relative error per layer. Exit 1 if a layer exceeds --tolerance."})
final class GradcheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin JobOptions job;
  @Option(names = "--tolerance", paramLabel = "TOL", defaultValue = "1e-3", description = "Largest accepted relative error (default ${DEFAULT-VALUE}).")
  double tolerance;
  @Option(names = "--rows", paramLabel = "N", defaultValue = "16", description = "Training rows in the checked batch (default ${DEFAULT-VALUE}).")
  int rows;
  @Option(names = "--checks-per-layer", paramLabel = "N", defaultValue = "64", description = "Parameters checked per layer, seeded (default ${DEFAULT-VALUE}).")
  int perLayer;

  @Override
  public Integer call() {
    if (rows <= 0 || perLayer <= 0 || !(tolerance > 0)) {
      throw new IllegalArgumentException("--rows, --checks-per-layer and --tolerance must be positive");
    }
    JobConfig config = job.data == null && job.config == null
        ? JobConfig.defaultJob(job.flags(), Home.get()) : JobConfig.load(job.flags(), job.config);
    Job resolved = Job.resolve(config);
    Network net = new Network(resolved.plan().spec());
    Parameters p = Parameters.zeros(net.spec());
    Initializer.initialize(p, resolved.plan().seed());
    int n = Math.min(rows, resolved.train().rows());
    List<GradientCheck.LayerError> errors = GradientCheck.run(net, p, resolved.train().x(),
        resolved.train().y(), n, perLayer, resolved.plan().seed());
    PrintWriter out = spec.commandLine().getOut();
    boolean ok = true;
    out.printf(Locale.ROOT, "gradcheck %s on %d rows, tolerance %.1e%n", net.spec().describe(), n, tolerance);
    for (GradientCheck.LayerError e : errors) {
      boolean pass = e.maxRelativeError() <= tolerance;
      ok &= pass;
      out.printf(Locale.ROOT, "  %-32s %4d checked  max rel err %.3e  %s%n", e.name(), e.checked(),
          e.maxRelativeError(), pass ? "ok" : "FAIL");
    }
    out.flush();
    return ok ? Main.OK : Main.FAILED;
  }
}
