package org.dtrain.data;

import java.io.InputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one entry point for data specs: {@code synthetic:NAME} or a file path. A file is IDX when its
 * (un-gzipped) content starts with an IDX magic number, else CSV; content decides rather than the
 * name so that renamed or decompressed MNIST files still read.
 */
public final class DataReader {
  private static final String SYNTHETIC = "synthetic:";

  private DataReader() {}

  /**
   * @param spec "synthetic:NAME" or a path to a CSV or IDX images file (either may be gzipped)
   * @throws DataException with a one-line message naming the file (as written in {@code spec})
   */
  public static LabeledTable read(String spec, DataOptions options) {
    return read(spec, options, true);
  }

  /**
   * Like {@link #read(String, DataOptions)}, but a CSV file without the label column reads as
   * features only (labelColumn 0, NaN labels): data to predict on.
   */
  public static LabeledTable readForPrediction(String spec, DataOptions options) {
    return read(spec, options, false);
  }

  private static LabeledTable read(String spec, DataOptions options, boolean labelRequired) {
    if (spec == null || spec.isBlank()) {
      throw DataException.at("data", "expected a file path or synthetic:NAME (" + SyntheticData.NAMES
          + "), found nothing");
    }
    if (spec.regionMatches(true, 0, SYNTHETIC, 0, SYNTHETIC.length())) {
      return SyntheticData.generate(spec.substring(SYNTHETIC.length()), options);
    }
    Path path;
    try {
      path = Path.of(spec);
    } catch (InvalidPathException e) {
      throw DataException.at(spec, "expected a file path, found an invalid one (" + e.getReason()
          + ")");
    }
    if (!path.toFile().exists() && isSyntheticName(spec)) {
      // "xor" alone is most likely meant as the generator, not a file in the working directory.
      throw DataException.at(spec, "no such file (for generated data write synthetic:"
          + spec.trim().toLowerCase(Locale.ROOT) + ")");
    }
    if (startsLikeIdx(path, spec)) {
      return IdxReader.read(path, spec);
    }
    return CsvReader.read(path, spec, options.label(), labelRequired);
  }

  /**
   * Every IDX magic number starts with two zero bytes (then the element type and dimension count);
   * no text file does. Anything of that shape goes to the IDX reader, which names the magic number
   * it expected if it is not MNIST images.
   */
  private static boolean startsLikeIdx(Path path, String spec) {
    InputStream in = Inputs.open(path, spec);
    try {
      byte[] b = Inputs.readUpTo(in, 2, spec);
      return b.length == 2 && b[0] == 0 && b[1] == 0;
    } finally {
      Inputs.closeQuietly(in);
    }
  }

  private static boolean isSyntheticName(String spec) {
    String t = spec.trim().toLowerCase(Locale.ROOT);
    for (String n : SyntheticData.NAMES.split(", ")) {
      if (n.equals(t)) {
        return true;
      }
    }
    return false;
  }
}
