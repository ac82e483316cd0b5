package org.dtrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the OpenBLAS natives cannot load (here: JavaCPP is told to look for another platform's), a
 * real dtrain process falls back to the plain-Java BLAS with exactly one warning line and still trains.
 */
class BlasFallbackProcessTest {
  @Test
  void trainsWithPlainJavaBlasAndOneWarningLineWhenNativesFailToLoad() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(),
        "-Dorg.bytedeco.javacpp.platform=windows-arm64",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "train", "--data", "synthetic:xor", "--layers", "2,2,1", "--loss", "mse", "--steps", "3",
        "--quiet")).start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dtrain finished within 60 s");
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), err);
      List<String> warnings = err.lines().filter(l -> l.contains("OpenBLAS natives did not load")).toList();
      assertEquals(1, warnings.size(), err);
      assertTrue(warnings.get(0).contains("plain-Java BLAS"), err);
    } finally {
      p.destroyForcibly();
    }
  }
}
