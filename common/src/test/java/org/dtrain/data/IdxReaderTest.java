package org.dtrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path dir;

  /** Three 2x2 images with pixels 0..11 (so 255 appears as an unsigned byte too) and labels 7, 0, 9. */
  private Path writePair(String prefix, boolean gzip) {
    byte[] pixels = TestFiles.ramp(12);
    pixels[11] = (byte) 255;
    byte[] images = TestFiles.idxImages(2051, 3, 2, 2, pixels);
    byte[] labels = TestFiles.idxLabels(2049, 3, new byte[] {7, 0, 9});
    String ext = gzip ? ".gz" : "";
    TestFiles.bytes(dir.resolve(prefix + "-labels-idx1-ubyte" + ext),
        gzip ? TestFiles.gzip(labels) : labels);
    return TestFiles.bytes(dir.resolve(prefix + "-images-idx3-ubyte" + ext),
        gzip ? TestFiles.gzip(images) : images);
  }

  @Test
  void readsANonGzippedPairAsRawPixelValuesWithPxNames() {
    LabeledTable t = IdxReader.read(writePair("train", false), "train-images-idx3-ubyte");
    assertEquals(3, t.rows());
    assertEquals(4, t.cols());
    assertArrayEquals(new String[] {"px0", "px1", "px2", "px3"}, t.featureNames());
    assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}, t.features());
    assertArrayEquals(new double[] {7, 0, 9}, t.labels());
    assertEquals(0, t.labelColumn());
    assertEquals(2, t.sourceLine(1)); // 1-based record index
    assertEquals(10, t.inferNumClasses());
  }

  @Test
  void readsAGzippedPair() {
    LabeledTable t = IdxReader.read(writePair("t10k", true), "t10k-images-idx3-ubyte.gz");
    assertEquals(3, t.rows());
    assertArrayEquals(new double[] {7, 0, 9}, t.labels());
  }

  @Test
  void badImagesMagicSaysExpected2051AndTheFoundValueInHex() {
    TestFiles.bytes(dir.resolve("x-labels-idx1-ubyte"), TestFiles.idxLabels(2049, 1, new byte[] {1}));
    Path images = TestFiles.bytes(dir.resolve("x-images-idx3-ubyte"),
        TestFiles.idxImages(0x0000080B, 1, 1, 1, new byte[] {1}));
    DataException e = assertThrows(DataException.class,
        () -> IdxReader.read(images, "x-images-idx3-ubyte"));
    assertEquals("x-images-idx3-ubyte: expected an IDX images file with magic 2051 (0x00000803),"
        + " found 0x0000080B", e.getMessage());
  }

  @Test
  void badLabelsMagicNamesTheLabelsFile() {
    TestFiles.bytes(dir.resolve("x-labels-idx1-ubyte"), TestFiles.idxLabels(0x12345678, 1, new byte[] {1}));
    Path images = TestFiles.bytes(dir.resolve("x-images-idx3-ubyte"),
        TestFiles.idxImages(2051, 1, 1, 1, new byte[] {1}));
    DataException e = assertThrows(DataException.class,
        () -> IdxReader.read(images, "d/x-images-idx3-ubyte"));
    assertEquals("d/x-labels-idx1-ubyte: expected an IDX labels file with magic 2049 (0x00000801),"
        + " found 0x12345678", e.getMessage());
  }

  @Test
  void truncatedImagesSayWhatTheHeaderPromisedAndWhatWasFound() {
    TestFiles.bytes(dir.resolve("x-labels-idx1-ubyte"), TestFiles.idxLabels(2049, 3, new byte[3]));
    Path images = TestFiles.bytes(dir.resolve("x-images-idx3-ubyte"),
        TestFiles.idxImages(2051, 3, 2, 2, new byte[9]));
    DataException e = assertThrows(DataException.class,
        () -> IdxReader.read(images, "x-images-idx3-ubyte"));
    assertEquals("x-images-idx3-ubyte: truncated: the header says 3 images of 2x2 (12 pixel bytes),"
        + " found 9 bytes (2 whole images)", e.getMessage());
  }

  @Test
  void truncatedHeaderIsReported() {
    TestFiles.bytes(dir.resolve("x-labels-idx1-ubyte"), TestFiles.idxLabels(2049, 3, new byte[3]));
    Path images = TestFiles.bytes(dir.resolve("x-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0});
    DataException e = assertThrows(DataException.class,
        () -> IdxReader.read(images, "x-images-idx3-ubyte"));
    assertEquals("x-images-idx3-ubyte: truncated: expected a 16-byte IDX header, found 6 bytes in all",
        e.getMessage());
  }

  @Test
  void truncatedLabelsAreReported() {
    TestFiles.bytes(dir.resolve("x-labels-idx1-ubyte"), TestFiles.idxLabels(2049, 3, new byte[2]));
    Path images = TestFiles.bytes(dir.resolve("x-images-idx3-ubyte"),
        TestFiles.idxImages(2051, 3, 1, 1, new byte[3]));
    DataException e = assertThrows(DataException.class,
        () -> IdxReader.read(images, "x-images-idx3-ubyte"));
    assertEquals("x-labels-idx1-ubyte: truncated: the header says 3 labels, found 2 label bytes",
        e.getMessage());
  }

  @Test
  void mismatchedImageAndLabelCountsNameBothFiles() {
    TestFiles.bytes(dir.resolve("x-labels-idx1-ubyte"), TestFiles.idxLabels(2049, 2, new byte[2]));
    Path images = TestFiles.bytes(dir.resolve("x-images-idx3-ubyte"),
        TestFiles.idxImages(2051, 3, 1, 1, new byte[3]));
    DataException e = assertThrows(DataException.class,
        () -> IdxReader.read(images, "x-images-idx3-ubyte"));
    assertEquals("x-labels-idx1-ubyte: expected 3 labels, one per image in x-images-idx3-ubyte,"
        + " found a header saying 2", e.getMessage());
  }

  @Test
  void missingLabelsFileNamesThePathExpected() {
    Path images = TestFiles.bytes(dir.resolve("x-images-idx3-ubyte.gz"),
        TestFiles.gzip(TestFiles.idxImages(2051, 1, 1, 1, new byte[1])));
    DataException e = assertThrows(DataException.class,
        () -> IdxReader.read(images, "data/x-images-idx3-ubyte.gz"));
    assertEquals("data/x-images-idx3-ubyte.gz: expected the labels file data/x-labels-idx1-ubyte.gz"
        + " beside the images, found no such file", e.getMessage());
  }

  @Test
  void imagesFileNameWithoutImagesIdx3CannotLocateItsLabels() {
    Path images = TestFiles.bytes(dir.resolve("digits.bin"),
        TestFiles.idxImages(2051, 1, 1, 1, new byte[1]));
    DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, "digits.bin"));
    assertEquals("digits.bin: expected an IDX images file name containing 'images-idx3' (the labels"
        + " are read from the file named with 'labels-idx1' in its place), found 'digits.bin'",
        e.getMessage());
  }

  @Test
  void aLabelsFileGivenAsImagesSaysToGiveTheImagesFile() {
    TestFiles.bytes(dir.resolve("x-labels-idx1-ubyte"), TestFiles.idxLabels(2049, 1, new byte[1]));
    Path wrong = TestFiles.bytes(dir.resolve("x-images-idx3-ubyte"),
        TestFiles.idxLabels(2049, 1, new byte[1]));
    DataException e = assertThrows(DataException.class,
        () -> IdxReader.read(wrong, "x-images-idx3-ubyte"));
    assertEquals("x-images-idx3-ubyte: expected an IDX images file with magic 2051 (0x00000803), found"
        + " 0x00000801 (a labels file: give the images file, the labels are read from beside it)",
        e.getMessage());
  }

  @Test
  void missingImagesFileSaysNoSuchFile() {
    TestFiles.bytes(dir.resolve("x-labels-idx1-ubyte"), TestFiles.idxLabels(2049, 1, new byte[1]));
    DataException e = assertThrows(DataException.class,
        () -> IdxReader.read(dir.resolve("x-images-idx3-ubyte"), "x-images-idx3-ubyte"));
    assertEquals("x-images-idx3-ubyte: no such file", e.getMessage());
  }
}
