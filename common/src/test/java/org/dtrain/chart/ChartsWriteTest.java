package org.dtrain.chart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsWriteTest {
  @TempDir Path dir;

  private static LineChart chart(String title) {
    return LineChart.builder(title).xLabel("step").yLabel("loss")
        .add(Series.line("loss", new double[] {0, 1, 2}, new double[] {2, 1, 0.5})).build();
  }

  private List<String> names(Path d) throws IOException {
    try (Stream<Path> files = Files.list(d)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesSvgAndPngAndNothingElse() throws IOException {
    Path base = dir.resolve("plots").resolve("loss");
    List<Path> written = Charts.write(chart("first"), base);
    assertEquals(List.of(dir.resolve("plots/loss.svg"), dir.resolve("plots/loss.png")), written);
    assertEquals(List.of("loss.png", "loss.svg"), names(dir.resolve("plots")));
    new SvgDoc(Files.readString(written.get(0)));
    var image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(written.get(1))));
    assertEquals(800, image.getWidth());
    assertEquals(500, image.getHeight());

    // Writing again replaces both, still without leftovers.
    Charts.write(chart("second"), base, 400, 300);
    assertEquals(List.of("loss.png", "loss.svg"), names(dir.resolve("plots")));
    assertTrue(Files.readString(written.get(0)).contains(">second<"));
    assertArrayEquals(Charts.png(chart("second"), 400, 300), Files.readAllBytes(written.get(1)));
  }

  @Test
  void aFailedMoveLeavesNoTemporaryFile() throws IOException {
    // A non-empty directory where the SVG should go: the move cannot replace it.
    Files.createDirectories(dir.resolve("loss.svg"));
    Files.writeString(dir.resolve("loss.svg").resolve("keep"), "x", StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> Charts.write(chart("t"), dir.resolve("loss")));
    assertEquals(List.of("loss.svg"), names(dir));
  }

  @Test
  void filesGetTheUsualPermissionsNotPrivateTemporaryOnes() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
    List<Path> written = Charts.write(chart("t"), dir.resolve("c"));
    for (Path p : written) {
      assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(p));
    }
  }
}
