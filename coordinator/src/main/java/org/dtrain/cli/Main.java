package org.dtrain.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.dtrain.Version;
import org.dtrain.coordinator.JobFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code dtrain <command> [options]}. */
@Command(name = "dtrain", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "Trains multilayer perceptrons with synchronous data-parallel gradient descent.",
    subcommands = {TrainCommand.class, CoordinatorCommand.class, WorkerCommand.class, ScaleCommand.class, EvaluateCommand.class, PredictCommand.class,
        ExportCommand.class, GradcheckCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 success, 2 bad input or usage, 1 failure while running."})
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "expected a command: train, coordinator, worker, scale, evaluate, predict, export or gradcheck");
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs a command line; returns the exit code. Tests call this directly. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      String cmd = ex.getCommandLine().getCommandSpec().qualifiedName();
      err.println(cmd + ": " + ex.getMessage() + " (see " + cmd + " --help)");
      return BAD_INPUT;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      String name = cmd.getCommandSpec().qualifiedName();
      if (ex instanceof IllegalArgumentException) {
        err.println(name + ": " + ex.getMessage());
        return BAD_INPUT;
      }
      if (ex instanceof JobFailedException) {
        err.println(name + ": " + ex.getMessage());
        return FAILED;
      }
      Throwable cause = ex instanceof UncheckedIOException u ? u.getCause() : ex;
      err.println(name + ": failed: " + describe(cause));
      if (Boolean.getBoolean("dtrain.debug")) {
        ex.printStackTrace(err);
      }
      return FAILED;
    });
    return cl.execute(args);
  }

  private static String describe(Throwable t) {
    String msg = t.getMessage();
    if (t instanceof IOException) {
      return (msg == null ? t.getClass().getSimpleName() : msg) + " (" + t.getClass().getSimpleName() + ")";
    }
    return msg == null ? t.toString() : msg;
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"dtrain " + Version.DTRAIN};
    }
  }
}
