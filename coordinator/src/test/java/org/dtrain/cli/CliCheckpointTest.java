package org.dtrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints from the command line: written every N steps, atomically, the newest 3 kept; a job
 * resumed from one ends with the bits of the job never interrupted; a corrupt newest one is skipped
 * with a warning; every misuse is one line and exit 2.
 */
class CliCheckpointTest {
  private static final String[] JOB = {"train", "--data", Cli.IRIS, "--layers", "auto,8,auto",
      "--steps", "40", "--optimizer", "adam", "--lr", "0.01", "--batch-size", "16", "--shards",
      "4", "--workers", "2", "--quiet"};

  @TempDir Path dir;

  private static String[] job(String... more) {
    return Stream.concat(Stream.of(JOB), Stream.of(more)).toArray(String[]::new);
  }

  private byte[] json(Path model) throws IOException {
    Path out = dir.resolve(model.getFileName() + ".json");
    Cli.ok("export", "--model", model.toString(), "--format", "json", "--out", out.toString());
    return Files.readAllBytes(out);
  }

  private List<String> files(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A full run with checkpoints every 10 steps; returns its model. */
  private Path fullRun(Path ckpt) {
    Path model = dir.resolve("full.dtrm");
    Cli.ok(job("--checkpoint-every", "10", "--checkpoint-dir", ckpt.toString(), "--save-model",
        model.toString()));
    return model;
  }

  @Test
  void aJobResumedFromStep20EndsWithTheBitsOfTheUninterruptedOne() throws IOException {
    Path ckpt = dir.resolve("ckpt");
    Path full = fullRun(ckpt);
    assertEquals(List.of("ckpt-000000000020.dtck", "ckpt-000000000030.dtck",
        "ckpt-000000000040.dtck"), files(ckpt), "the newest 3, no temporary files");
    // as if the job had been killed after step 25: the later checkpoints never happened
    Files.delete(ckpt.resolve("ckpt-000000000030.dtck"));
    Files.delete(ckpt.resolve("ckpt-000000000040.dtck"));
    Path resumed = dir.resolve("resumed.dtrm");
    Cli.Result r = Cli.ok(job("--checkpoint-dir", ckpt.toString(), "--resume", "--save-model",
        resumed.toString()));
    assertEquals("", r.err());
    assertArrayEquals(json(full), json(resumed));
  }

  @Test
  void aCorruptNewestCheckpointIsSkippedWithAWarningAndThePreviousOneUsed() throws IOException {
    Path ckpt = dir.resolve("ckpt");
    Path full = fullRun(ckpt);
    Files.delete(ckpt.resolve("ckpt-000000000040.dtck"));
    Path newest = ckpt.resolve("ckpt-000000000030.dtck");
    byte[] b = Files.readAllBytes(newest);
    b[b.length / 2] ^= 0x10;
    Files.write(newest, b);
    Path resumed = dir.resolve("resumed.dtrm");
    String[] args = job("--checkpoint-dir", ckpt.toString(), "--resume", "--save-model",
        resumed.toString());
    String[] loud = Stream.of(args).filter(a -> !a.equals("--quiet")).toArray(String[]::new);
    Cli.Result r = Cli.run(loud);
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().contains("warning: skipped a checkpoint that does not read back: "
        + newest + ": corrupted checkpoint file: CRC32C"), r.err());
    assertTrue(r.out().contains("resumed from " + ckpt.resolve("ckpt-000000000020.dtck")),
        r.out());
    assertArrayEquals(json(full), json(resumed));
  }

  @Test
  void misusesAreOneLineAndExit2() throws IOException {
    Cli.assertBadInput(Cli.run(job("--resume")), "--checkpoint-dir", "--resume");
    Cli.assertBadInput(Cli.run(job("--checkpoint-every", "5")), "--checkpoint-dir",
        "--checkpoint-every");
    Cli.assertBadInput(Cli.run(job("--checkpoint-every", "-1", "--checkpoint-dir",
        dir.toString())), "--checkpoint-every", "-1");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Cli.assertBadInput(Cli.run(job("--resume", "--checkpoint-dir", empty.toString())),
        "--resume", "no", empty.toString());
    Path ckpt = dir.resolve("ckpt");
    fullRun(ckpt);
    Cli.assertBadInput(Cli.run(Stream.of(job("--resume", "--checkpoint-dir", ckpt.toString()))
            .map(a -> a.equals("0.01") ? "0.02" : a).toArray(String[]::new)),
        "--resume", "ckpt-000000000040.dtck", "another job");
  }
}
