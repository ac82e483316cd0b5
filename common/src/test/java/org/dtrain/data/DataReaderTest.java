package org.dtrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataReaderTest {
  @TempDir Path dir;

  private static final DataOptions DEFAULTS = DataOptions.defaults();

  @Test
  void syntheticSpecGoesToTheGenerator() {
    LabeledTable t = DataReader.read("synthetic:xor", DEFAULTS);
    assertEquals("synthetic:xor", t.source());
    assertEquals(4, t.rows());
  }

  @Test
  void syntheticPrefixAndNameAreCaseInsensitive() {
    assertEquals(4, DataReader.read("Synthetic:XOR", DEFAULTS).rows());
  }

  @Test
  void unknownSyntheticNameListsTheNames() {
    DataException e = assertThrows(DataException.class,
        () -> DataReader.read("synthetic:moons", DEFAULTS));
    assertEquals("synthetic:moons: expected a generator name, one of " + SyntheticData.NAMES
        + ", found 'moons'", e.getMessage());
  }

  @Test
  void csvIsReadWithTheConfiguredLabelColumn() {
    String path = TestFiles.text(dir.resolve("t.csv"), "y,a\n1,2\n").toString();
    LabeledTable t = DataReader.read(path, DEFAULTS.withLabel("y"));
    assertArrayEquals(new float[] {2}, t.features());
    assertArrayEquals(new double[] {1}, t.labels());
    assertEquals(path, t.source());
  }

  @Test
  void gzippedCsvIsDetectedByItsMagicBytes() {
    String path = TestFiles.bytes(dir.resolve("t.data"), TestFiles.gzip("a,label\n3,1\n")).toString();
    assertArrayEquals(new float[] {3}, DataReader.read(path, DEFAULTS).features());
  }

  @Test
  void idxIsDetectedByContentWhetherGzippedOrNot() {
    TestFiles.bytes(dir.resolve("a-labels-idx1-ubyte"), TestFiles.idxLabels(2049, 1, new byte[] {4}));
    String plain = TestFiles.bytes(dir.resolve("a-images-idx3-ubyte"),
        TestFiles.idxImages(2051, 1, 1, 2, new byte[] {5, 6})).toString();
    LabeledTable t = DataReader.read(plain, DEFAULTS);
    assertArrayEquals(new float[] {5, 6}, t.features());
    assertArrayEquals(new double[] {4}, t.labels());

    TestFiles.bytes(dir.resolve("b-labels-idx1-ubyte.gz"),
        TestFiles.gzip(TestFiles.idxLabels(2049, 1, new byte[] {2})));
    String gz = TestFiles.bytes(dir.resolve("b-images-idx3-ubyte.gz"),
        TestFiles.gzip(TestFiles.idxImages(2051, 1, 1, 1, new byte[] {9}))).toString();
    assertArrayEquals(new double[] {2}, DataReader.read(gz, DEFAULTS).labels());
  }

  @Test
  void idxOfAnotherElementTypeGetsTheIdxMessageNotACsvOne() {
    String path = TestFiles.bytes(dir.resolve("f-images-idx3-ubyte"),
        TestFiles.idxImages(0x00000D03, 1, 1, 1, new byte[4])).toString();
    DataException e = assertThrows(DataException.class, () -> DataReader.read(path, DEFAULTS));
    assertEquals(path + ": expected an IDX images file with magic 2051 (0x00000803), found 0x00000D03"
        + " (IDX data of another element type; only unsigned bytes are supported)", e.getMessage());
  }

  @Test
  void missingFileUsesThePathAsGiven() {
    DataException e = assertThrows(DataException.class,
        () -> DataReader.read("no/such/dir/iris.csv", DEFAULTS));
    assertEquals("no/such/dir/iris.csv: no such file", e.getMessage());
  }

  @Test
  void aBareGeneratorNameHintsAtTheSyntheticPrefix() {
    DataException e = assertThrows(DataException.class, () -> DataReader.read("spiral", DEFAULTS));
    assertEquals("spiral: no such file (for generated data write synthetic:spiral)", e.getMessage());
  }

  @Test
  void blankSpecSaysWhatIsExpected() {
    DataException e = assertThrows(DataException.class, () -> DataReader.read(" ", DEFAULTS));
    assertEquals("data: expected a file path or synthetic:NAME (" + SyntheticData.NAMES
        + "), found nothing", e.getMessage());
  }
}
