package org.dtrain.cli;

import static org.dtrain.cli.Cli.IRIS;
import static org.dtrain.cli.Cli.assertBadInput;
import static org.dtrain.cli.Cli.ok;
import static org.dtrain.cli.Cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.dtrain.model.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged model files given to evaluate, predict and export: exit 2, one line naming the file. */
class CliModelFileTest {
  @TempDir static Path dir;
  static byte[] good;

  @BeforeAll
  static void trainOne() throws IOException {
    Path m = dir.resolve("good.dtrm");
    ok("train", "--data", IRIS, "--layers", "auto,8,auto", "--epochs", "1", "--quiet",
        "--save-model", m.toString());
    good = Files.readAllBytes(m);
  }

  private static String damaged(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p.toString();
  }

  @Test
  void flippedPayloadByteFailsTheCrc() throws IOException {
    byte[] b = good.clone();
    b[ModelFile.HEADER_BYTES + (b.length - ModelFile.HEADER_BYTES) / 2] ^= 0x10;
    String f = damaged("flipped.dtrm", b);
    assertBadInput(run("evaluate", "--model", f, "--data", IRIS), f, "CRC32C");
    assertBadInput(run("predict", "--model", f, "--data", IRIS), f, "CRC32C");
    assertBadInput(run("export", "--model", f, "--format", "json"), f, "CRC32C");
  }

  @Test
  void truncatedPayload() throws IOException {
    String f = damaged("cut.dtrm", Arrays.copyOf(good, good.length - 7));
    assertBadInput(run("evaluate", "--model", f, "--data", IRIS), f, "truncated",
        String.valueOf(good.length - ModelFile.HEADER_BYTES - 7));
  }

  @Test
  void truncatedHeader() throws IOException {
    String f = damaged("stub.dtrm", Arrays.copyOf(good, 11));
    assertBadInput(run("evaluate", "--model", f, "--data", IRIS), f, "truncated", "20-byte header",
        "11 bytes");
  }

  @Test
  void wrongMagic() throws IOException {
    byte[] b = good.clone();
    b[0] = 'X';
    String f = damaged("magic.dtrm", b);
    assertBadInput(run("evaluate", "--model", f, "--data", IRIS), f, "DTRM", "magic");
  }

  @Test
  void csvGivenAsModel() {
    assertBadInput(run("evaluate", "--model", IRIS, "--data", IRIS), IRIS, "not a dtrain model file");
  }

  @Test
  void unsupportedVersion() throws IOException {
    byte[] b = good.clone();
    b[4] = 9;
    String f = damaged("version.dtrm", b);
    assertBadInput(run("evaluate", "--model", f, "--data", IRIS), f, "version", "found 9");
  }

  @Test
  void missingModel() {
    String f = dir.resolve("none.dtrm").toString();
    assertBadInput(run("evaluate", "--model", f, "--data", IRIS), f, "no such model file");
  }

  @Test
  void dataWithOtherFeatureCount() throws IOException {
    Path csv = Files.writeString(dir.resolve("two.csv"), "a,b,label\n1,2,0\n");
    String m = damaged("ok.dtrm", good);
    assertBadInput(run("evaluate", "--model", m, "--data", csv.toString()), csv.toString(),
        "expected 4 features", "found 2");
  }

  @Test
  void exportUnknownFormat() throws IOException {
    String m = damaged("ok2.dtrm", good);
    assertBadInput(run("export", "--model", m, "--format", "onnx"), "--format", "json", "'onnx'");
  }
}
