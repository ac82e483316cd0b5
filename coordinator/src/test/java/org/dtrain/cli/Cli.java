package org.dtrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs {@link Main#run} in-process and captures exit code, stdout and stderr. */
final class Cli {
  /** The bundled data, relative to the coordinator module (surefire's working directory). */
  static final String IRIS = Path.of("../examples/data/iris.csv").toString();
  static final String DIGITS = Path.of("../examples/data/digits.csv.gz").toString();

  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  private Cli() {}

  /**
   * Runs {@code dtrain args} in this JVM. The dashboard is off ({@code --http-port 0}) unless the
   * arguments ask for it: many jobs run here, and none should depend on port 8088 being free.
   */
  static Result run(String... args) {
    args = withoutDashboard(args).toArray(String[]::new);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      code = Main.run(args, o, e);
    }
    return new Result(code, out.toString(), err.toString());
  }

  /** {@code args}, with {@code --http-port 0} added to a train or coordinator command without one. */
  static java.util.List<String> withoutDashboard(String... args) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
    boolean trains = args.length > 0 && (args[0].equals("train") || args[0].equals("coordinator"));
    boolean help = all.contains("--help") || all.contains("-h");
    if (trains && !help && all.stream().noneMatch(a -> a.startsWith("--http-port"))) {
      all.add("--http-port");
      all.add("0");
    }
    return all;
  }

  /** Runs and asserts success (exit 0, nothing on stderr). */
  static Result ok(String... args) {
    Result r = run(args);
    assertEquals(0, r.code(), () -> "expected exit 0 for " + String.join(" ", args) + "\n" + r);
    return r;
  }

  /**
   * Asserts the exit-code contract for bad input: exit 2, exactly one line on stderr, no stack trace,
   * and the line contains every one of {@code mustContain}. Returns the line.
   */
  static String assertBadInput(Result r, String... mustContain) {
    return assertOneLineError(r, Main.BAD_INPUT, mustContain);
  }

  static String assertOneLineError(Result r, int code, String... mustContain) {
    assertEquals(code, r.code(), () -> "exit code\n" + r);
    assertTrue(r.err().endsWith("\n"), () -> "stderr ends with a newline\n" + r);
    assertEquals(1, r.err().lines().count(), () -> "exactly one line on stderr\n" + r);
    String line = r.err().strip();
    assertFalse(line.isEmpty(), () -> "an error message\n" + r);
    assertFalse(line.contains("Exception"), () -> "no exception class names\n" + r);
    assertFalse(line.contains("at org."), () -> "no stack trace\n" + r);
    assertFalse(line.contains("\tat "), () -> "no stack trace\n" + r);
    for (String s : mustContain) {
      assertTrue(line.contains(s), () -> "stderr should contain '" + s + "'\n" + r);
    }
    return line;
  }

  static Path write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
