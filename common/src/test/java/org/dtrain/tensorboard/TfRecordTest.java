package org.dtrain.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfRecordTest {
  @TempDir Path dir;

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
    return out;
  }

  @Test
  void crc32cOfTheCheckStringIsTheStandardCheckValueAndMasksAsComputedByHand() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    CRC32C crc = new CRC32C();
    crc.update(check);
    assertEquals(0xE3069283L, crc.getValue(), "CRC-32C check value (RFC 3720, B.4)");
    // By hand: rotate right by 15: 0xE3069283 >>> 15 = 0x0001c60d, 0xE3069283 << 17 = 0x25060000
    // (mod 2^32), or'ed 0x2507c60d; plus 0xa282ead8 is 0xc78ab0e5 (mod 2^32).
    assertEquals(0xc78ab0e5, TfRecord.mask(0xE3069283));
    assertEquals(0xc78ab0e5, TfRecord.maskedCrc32c(check, 0, check.length));
    // Zero's mask is the delta itself.
    assertEquals(0xa282ead8, TfRecord.mask(0));
  }

  @Test
  void oneRecordIsLengthLengthCrcDataDataCrcAllLittleEndian() {
    // Expected CRCs from an independent bitwise CRC32C (poly 0x82f63b78), masked as above.
    byte[] abc = TfRecord.encode("abc".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(bytes(
        0x03, 0, 0, 0, 0, 0, 0, 0,      // length 3, u64 LE
        0xb0, 0x99, 0x49, 0x0e,         // masked CRC32C of those 8 bytes: 0x0e4999b0
        'a', 'b', 'c',                  // data
        0x6e, 0x57, 0xf1, 0x21), abc);  // masked CRC32C of "abc": 0x21f1576e
    byte[] empty = TfRecord.encode(new byte[0]);
    assertArrayEquals(bytes(
        0, 0, 0, 0, 0, 0, 0, 0,
        0x29, 0x03, 0x98, 0x07,         // 0x07980329
        0xd8, 0xea, 0x82, 0xa2), empty); // CRC32C of nothing is 0; masked, 0xa282ead8
  }

  @Test
  void recordsReadBackInOrderAndTheStreamEndsCleanly() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TfRecord.write(out, bytes(1, 2, 3));
    TfRecord.write(out, new byte[0]);
    TfRecord.write(out, new byte[70_000]);
    Path f = dir.resolve("r.tfrecord");
    Files.write(f, out.toByteArray());
    List<byte[]> back = TfRecord.readAll(f);
    assertEquals(3, back.size());
    assertArrayEquals(bytes(1, 2, 3), back.get(0));
    assertArrayEquals(new byte[0], back.get(1));
    assertArrayEquals(new byte[70_000], back.get(2));

    try (TfRecord.Reader r = new TfRecord.Reader(new ByteArrayInputStream(out.toByteArray()), "s")) {
      assertEquals(0, r.offset());
      r.next();
      assertEquals(19, r.offset());
      r.next();
      assertEquals(35, r.offset());
      r.next();
      assertNull(r.next());
      assertEquals(35 + 70_016, r.offset());
    }
  }

  @Test
  void aFlippedByteFailsTheCrcNamingTheFileAndOffset() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TfRecord.write(out, bytes(1, 2, 3));
    TfRecord.write(out, bytes(4, 5, 6, 7));
    byte[] all = out.toByteArray();
    Path f = dir.resolve("r.tfrecord");

    byte[] data = all.clone();
    data[19 + 12 + 2] ^= 0x10; // a data byte of the second record, at offset 19
    Files.write(f, data);
    var e = assertThrows(IOException.class, () -> TfRecord.readAll(f));
    assertTrue(e.getMessage().startsWith(f + ": corrupt record at offset 19: masked CRC32C of the 4 data bytes"),
        e.getMessage());

    byte[] length = all.clone();
    length[19] ^= 0x01; // the second record's length
    Files.write(f, length);
    e = assertThrows(IOException.class, () -> TfRecord.readAll(f));
    assertTrue(e.getMessage().contains("corrupt record at offset 19: masked CRC32C of the length bytes"),
        e.getMessage());
  }

  @Test
  void truncationIsAClearError() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TfRecord.write(out, bytes(1, 2, 3));
    TfRecord.write(out, bytes(4, 5, 6, 7));
    byte[] all = out.toByteArray(); // 19 + 20 bytes
    Path f = dir.resolve("r.tfrecord");

    Files.write(f, java.util.Arrays.copyOf(all, 19 + 5));
    var e = assertThrows(IOException.class, () -> TfRecord.readAll(f));
    assertEquals(f + ": truncated record at offset 19: expected a 12-byte header, found 5 bytes"
        + " before the end of the file", e.getMessage());

    Files.write(f, java.util.Arrays.copyOf(all, 19 + 14));
    e = assertThrows(IOException.class, () -> TfRecord.readAll(f));
    assertEquals(f + ": truncated record at offset 19: expected 4 data bytes, found 2 before the end"
        + " of the file", e.getMessage());

    Files.write(f, java.util.Arrays.copyOf(all, all.length - 1));
    e = assertThrows(IOException.class, () -> TfRecord.readAll(f));
    assertEquals(f + ": truncated record at offset 19: expected a 4-byte data CRC after the 4 data"
        + " bytes, found 3 bytes before the end of the file", e.getMessage());

    Files.write(f, java.util.Arrays.copyOf(all, 19)); // ends between records: fine
    assertEquals(1, TfRecord.readAll(f).size());
  }
}
