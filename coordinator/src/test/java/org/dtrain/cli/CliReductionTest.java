package org.dtrain.cli;

import static org.dtrain.cli.Cli.DIGITS;
import static org.dtrain.cli.Cli.IRIS;
import static org.dtrain.cli.Cli.assertBadInput;
import static org.dtrain.cli.Cli.ok;
import static org.dtrain.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dtrain.model.ModelFile;
import org.dtrain.proto.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --reduction tree --fan-in F}: the same model, byte for byte, as star reduction; bad
 * values exit 2 with one line naming the flag; {@code coordinator} refuses tree reduction.
 */
class CliReductionTest {
  @TempDir Path dir;

  /** Trains the digits with {@code more} flags to {@code model}; returns its payload. */
  private static byte[] train(Path model, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("train", "--data", DIGITS, "--layers",
        "auto,32,auto", "--scale", "minmax", "--epochs", "1", "--batch-size", "256", "--optimizer",
        "adam", "--lr", "0.003", "--seed", "9", "--shards", "16", "--workers", "4", "--quiet",
        "--save-model", model.toString()));
    args.addAll(List.of(more));
    ok(args.toArray(String[]::new));
    return ModelFile.payload(model, model.toString());
  }

  /** The model's bytes apart from the moment it was written. */
  private static byte[] withoutCreatedTime(byte[] payload) throws IOException {
    ModelProto p = ModelProto.parseFrom(payload);
    return p.toBuilder().setRunInfo(p.getRunInfo().toBuilder().clearCreatedUnixMs()).build()
        .toByteArray();
  }

  private byte[] json(Path model) throws IOException {
    Path out = dir.resolve(model.getFileName() + ".json");
    ok("export", "--model", model.toString(), "--format", "json", "--out", out.toString());
    return Files.readAllBytes(out);
  }

  @Test
  void treeReductionWithFanIn3WritesTheModelOfStarReduction() throws IOException {
    // the same path: the resolved job, save-model included, is part of the model file
    Path model = dir.resolve("digits.dtrm");
    byte[] star = train(model);
    byte[] starJson = json(model);
    byte[] tree = train(model, "--reduction", "tree", "--fan-in", "3");
    assertArrayEquals(withoutCreatedTime(star), withoutCreatedTime(tree));
    assertArrayEquals(starJson, json(model));
    assertArrayEquals(withoutCreatedTime(star),
        withoutCreatedTime(train(model, "--reduction", "star", "--fan-in", "5")),
        "--fan-in is for tree reduction only");
  }

  private static Cli.Result train(String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--data", IRIS, "--epochs", "1",
        "--quiet"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void badReductionValuesExit2NamingTheFlag() {
    assertBadInput(train("--reduction", "ring"), "--reduction", "expected star or tree",
        "'ring'");
    assertBadInput(train("--reduction", "tree", "--fan-in", "1"), "--fan-in", "2 or more",
        "'1'");
    assertBadInput(train("--reduction", "tree", "--fan-in", "two"), "--fan-in", "2 or more",
        "'two'");
    assertBadInput(train("--fan-in", "0"), "--fan-in", "'0'");
  }

  @Test
  void theCoordinatorRefusesTreeReduction() {
    assertBadInput(run("coordinator", "--workers", "2", "--data", IRIS, "--reduction", "tree",
        "--quiet"), "--reduction", "expected star", "dtrain train", "'tree'");
  }

  @Test
  void helpExplainsTheFlags() {
    String train = ok("train", "--help").out();
    assertTrue(train.contains("--reduction=star|tree"), train);
    assertTrue(train.contains("--fan-in=F"), train);
    assertTrue(train.contains("Byte-identical weights"), train);
    String coordinator = ok("coordinator", "--help").out();
    assertTrue(coordinator.contains("dtrain train only"), coordinator);
  }
}
