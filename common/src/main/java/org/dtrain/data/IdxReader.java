package org.dtrain.data;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads MNIST-style IDX files: an images file (magic 2051: unsigned bytes, dimensions count, rows,
 * columns, then one byte a pixel, row-major) and the labels file beside it (magic 2049: count, then
 * one byte a label). Either may be gzipped. All integers in the header are big-endian.
 *
 * <p>Features are the raw pixel values 0..255 as floats, named {@code px0..pxN}; scaling is the
 * {@link Scaler}'s job so that it is fitted on training rows only and stored with the model.
 */
public final class IdxReader {
  static final int IMAGES_MAGIC = 2051; // 0x00000803: type 0x08 (unsigned byte), 3 dimensions
  static final int LABELS_MAGIC = 2049; // 0x00000801: type 0x08 (unsigned byte), 1 dimension
  static final String IMAGES_PART = "images-idx3";
  static final String LABELS_PART = "labels-idx1";

  private IdxReader() {}

  /**
   * @param imagesPath the images file; its labels are read from the file whose name has
   *     "images-idx3" replaced by "labels-idx1", in the same directory
   * @param displayName the images path as the user wrote it, used in messages
   */
  public static LabeledTable read(Path imagesPath, String displayName) {
    Path fileName = imagesPath.getFileName();
    String name = fileName == null ? "" : fileName.toString();
    int at = name.lastIndexOf(IMAGES_PART);
    if (at < 0) {
      throw DataException.at(displayName, "expected an IDX images file name containing '"
          + IMAGES_PART + "' (the labels are read from the file named with '" + LABELS_PART
          + "' in its place), found '" + name + "'");
    }
    String labelsName = name.substring(0, at) + LABELS_PART + name.substring(at + IMAGES_PART.length());
    Path labelsPath = imagesPath.resolveSibling(labelsName);
    int shown = displayName.lastIndexOf(IMAGES_PART);
    String labelsDisplay = shown < 0 ? labelsPath.toString()
        : displayName.substring(0, shown) + LABELS_PART
            + displayName.substring(shown + IMAGES_PART.length());

    // Checked before reading the images: a full MNIST images file takes a moment to read.
    if (!labelsPath.toFile().isFile()) {
      throw DataException.at(displayName,
          "expected the labels file " + labelsDisplay + " beside the images, found no such file");
    }
    Images images = readImages(imagesPath, displayName);
    byte[] labelBytes = readLabels(labelsPath, labelsDisplay, images.count, displayName);

    int pixels = images.rows * images.cols;
    float[] x = new float[images.count * pixels]; // (count, rows*cols) row-major
    byte[] px = images.pixels;
    for (int i = 0; i < x.length; i++) {
      x[i] = px[i] & 0xFF; // unsigned byte
    }
    double[] labels = new double[images.count]; // (count)
    int[] records = new int[images.count]; // (count) 1-based image index
    for (int i = 0; i < images.count; i++) {
      labels[i] = labelBytes[i] & 0xFF;
      records[i] = i + 1;
    }
    String[] names = new String[pixels];
    for (int p = 0; p < pixels; p++) {
      names[p] = "px" + p;
    }
    return new LabeledTable(displayName, names, "label", x, labels, records, 0);
  }

  private record Images(int count, int rows, int cols, byte[] pixels) {}

  private static Images readImages(Path path, String file) {
    InputStream in = Inputs.open(path, file);
    try {
      int[] h = header(in, file, 16, IMAGES_MAGIC, "images");
      int count = h[1];
      int rows = h[2];
      int cols = h[3];
      if (count < 1 || rows < 1 || cols < 1) {
        throw DataException.at(file, "expected a header with at least 1 image of at least 1x1"
            + " pixels, found " + count + " images of " + rows + "x" + cols);
      }
      long total = (long) count * rows * cols;
      if (total > Integer.MAX_VALUE - 8) {
        throw DataException.at(file, "expected at most " + (Integer.MAX_VALUE - 8)
            + " pixels in total (one Java array), found a header saying " + count + " images of "
            + rows + "x" + cols);
      }
      byte[] pixels = Inputs.readUpTo(in, (int) total, file);
      if (pixels.length < total) {
        throw DataException.at(file, "truncated: the header says " + count + " images of " + rows
            + "x" + cols + " (" + total + " pixel bytes), found " + pixels.length + " bytes ("
            + pixels.length / ((long) rows * cols) + " whole images)");
      }
      return new Images(count, rows, cols, pixels);
    } finally {
      Inputs.closeQuietly(in);
    }
  }

  private static byte[] readLabels(Path path, String file, int expected, String imagesFile) {
    InputStream in = Inputs.open(path, file);
    try {
      int[] h = header(in, file, 8, LABELS_MAGIC, "labels");
      int count = h[1];
      if (count != expected) {
        throw DataException.at(file, "expected " + expected + " labels, one per image in "
            + imagesFile + ", found a header saying " + count);
      }
      byte[] labels = Inputs.readUpTo(in, count, file);
      if (labels.length < count) {
        throw DataException.at(file, "truncated: the header says " + count + " labels, found "
            + labels.length + " label bytes");
      }
      return labels;
    } finally {
      Inputs.closeQuietly(in);
    }
  }

  /**
   * The big-endian int32s of a header of {@code bytes} bytes. The magic number is checked before the
   * header length, so that a small file of the other kind (a labels file given as images) is named
   * as such rather than reported as truncated.
   */
  private static int[] header(InputStream in, String file, int bytes, int magic, String kind) {
    byte[] b = Inputs.readUpTo(in, bytes, file);
    if (b.length < 4) {
      throw DataException.at(file, "expected an IDX file starting with a 4-byte magic number, found "
          + b.length + " bytes in all");
    }
    int[] h = new int[bytes / 4];
    h[0] = bigEndian(b, 0);
    checkMagic(h[0], magic, kind, file);
    if (b.length < bytes) {
      throw DataException.at(file, "truncated: expected a " + bytes + "-byte IDX header, found "
          + b.length + " bytes in all");
    }
    for (int i = 1; i < h.length; i++) {
      h[i] = bigEndian(b, 4 * i);
    }
    return h;
  }

  private static void checkMagic(int found, int expected, String kind, String file) {
    if (found == expected) {
      return;
    }
    String hint = "";
    if (found == LABELS_MAGIC) {
      hint = " (a labels file: give the images file, the labels are read from beside it)";
    } else if (found == IMAGES_MAGIC) {
      hint = " (an images file)";
    } else if ((found >>> 16) == 0 && ((found >>> 8) & 0xFF) != 0x08) {
      hint = " (IDX data of another element type; only unsigned bytes are supported)";
    }
    throw DataException.at(file, "expected an IDX " + kind + " file with magic " + expected + " ("
        + hex(expected) + "), found " + hex(found) + hint);
  }

  static String hex(int v) {
    return String.format(Locale.ROOT, "0x%08X", v);
  }

  private static int bigEndian(byte[] b, int off) {
    return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8
        | (b[off + 3] & 0xFF);
  }
}
