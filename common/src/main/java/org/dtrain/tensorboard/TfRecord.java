package org.dtrain.tensorboard;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorFlow's event files. Each record is
 *
 * <pre>
 *   offset 0       u64  length: n, the number of data bytes (little-endian)
 *   offset 8       u32  masked CRC32C of the 8 length bytes (little-endian)
 *   offset 12      n    data
 *   offset 12 + n  u32  masked CRC32C of the data (little-endian)
 * </pre>
 *
 * so a record takes {@code n + 16} bytes and the next one starts right after it. A masked CRC is
 * {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8} in 32-bit arithmetic ({@link #mask(int)}).
 * Reading checks both CRCs; every fault is an {@link IOException} naming the file and the byte
 * offset of the record it was found in.
 */
public final class TfRecord {
  /** Length (8) and its masked CRC (4). */
  public static final int HEADER_BYTES = 12;
  /** The masked CRC of the data. */
  public static final int FOOTER_BYTES = 4;
  /** The largest data length read or written: a record's data is one Java array. */
  public static final int MAX_DATA_BYTES = Integer.MAX_VALUE - 64;

  private static final int MASK_DELTA = 0xa282ead8;

  private TfRecord() {}

  /** TFRecord's masking of a CRC32C value: rotate right by 15 bits, add 0xa282ead8 (mod 2^32). */
  public static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  /** The masked CRC32C of {@code b[off, off + len)}. */
  public static int maskedCrc32c(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return mask((int) crc.getValue());
  }

  /** One record holding {@code data}: {@code data.length + 16} bytes. */
  public static byte[] encode(byte[] data) {
    if (data.length > MAX_DATA_BYTES) {
      throw new IllegalArgumentException("record data of " + data.length
          + " bytes exceeds the maximum of " + MAX_DATA_BYTES);
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + data.length + FOOTER_BYTES)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    b.putInt(maskedCrc32c(b.array(), 0, 8));
    b.put(data);
    b.putInt(maskedCrc32c(data, 0, data.length));
    return b.array();
  }

  /** Appends one record holding {@code data} to {@code out} (not flushed). */
  public static void write(OutputStream out, byte[] data) throws IOException {
    out.write(encode(data));
  }

  /** The data of every record of {@code file}, in order, both CRCs checked. */
  public static List<byte[]> readAll(Path file) throws IOException {
    List<byte[]> all = new ArrayList<>();
    try (Reader r = Reader.open(file)) {
      for (byte[] data = r.next(); data != null; data = r.next()) all.add(data);
    }
    return all;
  }

  /** Reads records one after the other from a stream, tracking the byte offset for errors. */
  public static final class Reader implements Closeable {
    private final InputStream in;
    private final String name;
    private long offset;

    /** Reads {@code in} from its current position, which counts as offset 0; {@code name} is
     * used in error messages (normally the file's path). */
    public Reader(InputStream in, String name) {
      this.in = in;
      this.name = name;
    }

    /** A reader of the records of {@code file}, named by its path. */
    public static Reader open(Path file) throws IOException {
      return new Reader(new BufferedInputStream(Files.newInputStream(file), 1 << 16), file.toString());
    }

    /** Byte offset of the next record (after the last one returned). */
    public long offset() {
      return offset;
    }

    /**
     * The next record's data, both CRCs checked; {@code null} at the end of the stream when it
     * falls between two records. A partial or corrupt record throws an {@link IOException} that
     * names the stream and the record's offset.
     */
    public byte[] next() throws IOException {
      byte[] header = new byte[HEADER_BYTES];
      int n = readUpTo(header, HEADER_BYTES);
      if (n == 0) return null;
      if (n < HEADER_BYTES) {
        throw fault("truncated", "expected a " + HEADER_BYTES + "-byte header, found " + n
            + " bytes before the end of the file");
      }
      ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      long length = h.getLong(0);
      int lengthCrc = h.getInt(8);
      int actualLengthCrc = maskedCrc32c(header, 0, 8);
      if (actualLengthCrc != lengthCrc) {
        throw fault("corrupt", "masked CRC32C of the length bytes is " + hex(actualLengthCrc)
            + ", the record says " + hex(lengthCrc));
      }
      if (length < 0 || length > MAX_DATA_BYTES) {
        throw fault("unsupported", "data length " + Long.toUnsignedString(length)
            + " exceeds the maximum of " + MAX_DATA_BYTES + " bytes");
      }
      byte[] data = new byte[(int) length];
      n = readUpTo(data, data.length);
      if (n < data.length) {
        throw fault("truncated", "expected " + length + " data bytes, found " + n
            + " before the end of the file");
      }
      byte[] footer = new byte[FOOTER_BYTES];
      n = readUpTo(footer, FOOTER_BYTES);
      if (n < FOOTER_BYTES) {
        throw fault("truncated", "expected a " + FOOTER_BYTES + "-byte data CRC after the "
            + length + " data bytes, found " + n + " bytes before the end of the file");
      }
      int dataCrc = ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt();
      int actualDataCrc = maskedCrc32c(data, 0, data.length);
      if (actualDataCrc != dataCrc) {
        throw fault("corrupt", "masked CRC32C of the " + length + " data bytes is "
            + hex(actualDataCrc) + ", the record says " + hex(dataCrc));
      }
      offset += HEADER_BYTES + length + FOOTER_BYTES;
      return data;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    private int readUpTo(byte[] b, int len) throws IOException {
      int n = 0;
      while (n < len) {
        int r = in.read(b, n, len - n);
        if (r < 0) break;
        n += r;
      }
      return n;
    }

    private IOException fault(String kind, String detail) {
      return new IOException(name + ": " + kind + " record at offset " + offset + ": " + detail);
    }

    private static String hex(int v) {
      return String.format("0x%08x", v);
    }
  }
}
