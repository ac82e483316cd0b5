package org.dtrain.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opening data files: existence checks with readable messages, and transparent gunzip.
 *
 * <p>Gzip is recognised by its magic bytes (1f 8b), not by the file name, so a renamed or
 * extension-less file still reads, and a {@code .gz} name on a plain file does no harm.
 */
final class Inputs {
  private static final int BUFFER = 1 << 16;

  private Inputs() {}

  /** An open, buffered stream of the file's (un-gzipped) bytes. The caller closes it. */
  static InputStream open(Path path, String displayName) {
    if (Files.isDirectory(path)) {
      throw DataException.at(displayName, "expected a data file, found a directory");
    }
    if (!Files.exists(path)) {
      throw DataException.at(displayName, "no such file");
    }
    InputStream raw = null;
    try {
      raw = new BufferedInputStream(Files.newInputStream(path), BUFFER);
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
      }
      return raw;
    } catch (IOException e) {
      closeQuietly(raw);
      throw readError(displayName, e);
    }
  }

  /** Reads up to {@code n} bytes; fewer only at the end of the data. */
  static byte[] readUpTo(InputStream in, int n, String displayName) {
    try {
      // readNBytes grows its buffer as data arrives, so a header that claims a huge size does not
      // allocate that size before the data proves it.
      return in.readNBytes(n);
    } catch (IOException e) {
      throw readError(displayName, e);
    }
  }

  /** Translates an I/O failure into a one-line message about the file. */
  static DataException readError(String displayName, IOException e) {
    if (e instanceof NoSuchFileException) {
      return DataException.at(displayName, "no such file");
    }
    if (e instanceof AccessDeniedException) {
      return new DataException(displayName + ": cannot read the file: permission denied", e);
    }
    if (e instanceof ZipException || e instanceof EOFException) {
      // GZIPInputStream's own texts ("Unexpected end of ZLIB input stream") mean little to users.
      return new DataException(
          displayName + ": cannot read: the gzip data is corrupt or cut short (" + e.getMessage() + ")",
          e);
    }
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new DataException(displayName + ": cannot read the file: " + why, e);
  }

  static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // Nothing useful to do: the data was already read or the read already failed.
      }
    }
  }

  /** A number for messages: integers without a trailing ".0". */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
