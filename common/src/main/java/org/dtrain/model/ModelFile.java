package org.dtrain.model;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.dtrain.proto.ModelProto;
import org.dtrain.wire.ProtoConverter;

/**
 * The model file: a 20-byte little-endian header, then a {@code ModelProto} payload.
 *
 * <pre>
 *   offset 0  4 bytes  magic "DTRM"
 *   offset 4  u32      format version (1)
 *   offset 8  u64      payload length in bytes
 *   offset 16 u32      CRC32C of the payload
 *   offset 20 ...      payload
 * </pre>
 * Writes go to a temporary file in the same directory, are forced to disk, then renamed over the
 * target, so a failed or interrupted write never leaves a half model where a good one was.
 */
public final class ModelFile {
  public static final byte[] MAGIC = "DTRM".getBytes(StandardCharsets.US_ASCII);
  public static final int FORMAT_VERSION = 1;
  public static final int HEADER_BYTES = 20;

  private ModelFile() {}

  public static void write(Model model, Path path) throws IOException {
    writeAtomically(encode(ProtoConverter.toProto(model).toByteArray()), path);
  }

  /** Reads and checks a model file; {@link IllegalArgumentException} names the file and the fault. */
  public static Model read(Path path, String displayName) throws IOException {
    byte[] payload = payload(path, displayName);
    try {
      return ProtoConverter.fromProto(ModelProto.parseFrom(payload));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(displayName + ": corrupt model payload: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(displayName + ": invalid model: " + e.getMessage());
    }
  }

  /** The header bytes followed by the payload. */
  public static byte[] encode(byte[] payload) {
    return encode(MAGIC, payload);
  }

  /** The header (with this 4-byte magic) followed by the payload. */
  public static byte[] encode(byte[] magic, byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload);
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(magic).putInt(FORMAT_VERSION).putLong(payload.length).putInt((int) crc.getValue());
    b.put(payload);
    return b.array();
  }

  /** The checked payload of a model file. */
  public static byte[] payload(Path path, String displayName) throws IOException {
    return payload(path, displayName, MAGIC, "model");
  }

  /** The checked payload of a file framed by {@link #encode(byte[], byte[])} with this magic. */
  public static byte[] payload(Path path, String displayName, byte[] expectedMagic, String kind)
      throws IOException {
    byte[] all;
    try {
      all = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(displayName + ": no such " + kind + " file");
    }
    if (all.length < HEADER_BYTES) {
      throw new IllegalArgumentException(displayName + ": truncated " + kind + " file: expected a "
          + HEADER_BYTES + "-byte header, found " + all.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[4];
    b.get(magic);
    if (!java.util.Arrays.equals(magic, expectedMagic)) {
      throw new IllegalArgumentException(displayName + ": not a dtrain " + kind
          + " file: expected magic '" + new String(expectedMagic, StandardCharsets.US_ASCII)
          + "', found " + printable(magic));
    }
    int version = b.getInt();
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(displayName + ": unsupported " + kind + " format version: expected "
          + FORMAT_VERSION + ", found " + version);
    }
    long length = b.getLong();
    int expectedCrc = b.getInt();
    if (length != all.length - HEADER_BYTES) {
      throw new IllegalArgumentException(displayName + ": truncated or padded " + kind + " file: header says "
          + length + " payload bytes, found " + (all.length - HEADER_BYTES));
    }
    byte[] payload = java.util.Arrays.copyOfRange(all, HEADER_BYTES, all.length);
    CRC32C crc = new CRC32C();
    crc.update(payload);
    if ((int) crc.getValue() != expectedCrc) {
      throw new IllegalArgumentException(displayName + ": corrupted " + kind + " file: CRC32C of the payload is "
          + String.format("%08x", (int) crc.getValue()) + ", header says "
          + String.format("%08x", expectedCrc));
    }
    return payload;
  }

  /** Temp file in the target's directory, fsync, then an atomic rename over the target. */
  public static void writeAtomically(byte[] bytes, Path path) throws IOException {
    Path abs = path.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, abs.getFileName().toString() + ".", ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String printable(byte[] b) {
    StringBuilder sb = new StringBuilder("0x");
    for (byte x : b) sb.append(String.format("%02x", x));
    return sb.toString();
  }
}
