package org.dtrain.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtrain.proto.tensorboard.Event;
import org.dtrain.tensorboard.EventReader.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileTest {
  @TempDir Path dir;

  /** Two series over five steps, with the awkward floats too. */
  private static List<Scalar> scalars() {
    float[] odd = {0.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE};
    List<Scalar> s = new ArrayList<>();
    for (int step = 0; step < 5; step++) {
      double t = 1_700_000_000.25 + step;
      s.add(new Scalar("train/loss", step, t, 1f / (step + 1)));
      s.add(new Scalar("train/odd", step, t, odd[step]));
    }
    s.add(new Scalar("eval/accuracy", 1L << 40, 1_700_000_100.5, 0.97f));
    return s;
  }

  private static Path writeAll(Path dir, List<Scalar> scalars) {
    try (EventWriter w = EventWriter.open(dir)) {
      for (Scalar s : scalars) w.scalar(s.tag(), s.step(), s.wallTime(), s.value());
      w.flush();
      return w.path();
    }
  }

  @Test
  void scalarsRoundTripThroughTheFile() throws IOException {
    Path runs = dir.resolve("runs/a"); // created by open
    Path f = writeAll(runs, scalars());
    assertEquals(runs, f.getParent());
    String name = f.getFileName().toString();
    assertTrue(name.contains("tfevents"), name);
    assertTrue(name.matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+"), name);

    EventReader r = EventReader.read(f);
    assertEquals(scalars(), r.scalars()); // records compare floats with Float.compare: NaN, -0 kept
    assertEquals("brain.Event:2", r.fileVersion());
    Event first = r.events().get(0);
    assertEquals(Event.WhatCase.FILE_VERSION, first.getWhatCase());
    assertEquals("brain.Event:2", first.getFileVersion());
    double now = System.currentTimeMillis() / 1000.0;
    assertTrue(Math.abs(first.getWallTime() - now) < 60, "wall time in seconds: " + first.getWallTime());
    assertEquals(1 + scalars().size(), r.events().size());
  }

  @Test
  void theFileIsNamedAfterTheTimeAndHostAndNeverOverwritten() throws IOException {
    Path a;
    Path b;
    try (EventWriter w1 = EventWriter.open(dir, 1_700_000_000.9, "node 1/x");
         EventWriter w2 = EventWriter.open(dir, 1_700_000_000.2, "node 1/x")) {
      a = w1.path();
      b = w2.path();
    }
    assertEquals("events.out.tfevents.1700000000.node_1_x", a.getFileName().toString());
    assertEquals("events.out.tfevents.1700000000.node_1_x.1", b.getFileName().toString());
    assertEquals(1_700_000_000.9, EventReader.read(a).events().get(0).getWallTime());
    assertEquals(1_700_000_000.2, EventReader.read(b).events().get(0).getWallTime());
  }

  @Test
  void flushedEventsCanBeReadWhileTheWriterIsOpen() throws IOException {
    try (EventWriter w = EventWriter.open(dir)) {
      assertEquals("brain.Event:2", EventReader.read(w.path()).fileVersion(), "open flushes");
      w.scalar("loss", 1, 10.0, 2f);
      w.flush();
      assertEquals(List.of(new Scalar("loss", 1, 10.0, 2f)), EventReader.read(w.path()).scalars());
      w.scalar("loss", 2, 11.0, 1f);
      w.flush();
      assertEquals(2, EventReader.read(w.path()).scalars().size());
    }
  }

  @Test
  void aFlippedDataByteFailsNamingTheFileAndTheRecordOffset() throws IOException {
    Path f = writeAll(dir, scalars());
    byte[] all = Files.readAllBytes(f);
    int first = recordLength(all, 0);
    int second = recordLength(all, first);
    int third = first + second;
    all[third + TfRecord.HEADER_BYTES + 3] ^= 0x40;
    Files.write(f, all);
    var e = assertThrows(IOException.class, () -> EventReader.read(f));
    assertTrue(e.getMessage().startsWith(f + ": corrupt record at offset " + third + ": masked CRC32C"
        + " of the " + (recordLength(all, third) - 16) + " data bytes is "), e.getMessage());
  }

  @Test
  void aTruncatedFileIsAClearError() throws IOException {
    Path f = writeAll(dir, scalars());
    byte[] all = Files.readAllBytes(f);
    int last = 0;
    while (last + recordLength(all, last) < all.length) last += recordLength(all, last);
    Files.write(f, Arrays.copyOf(all, all.length - 2));
    var e = assertThrows(IOException.class, () -> EventReader.read(f));
    assertEquals(f + ": truncated record at offset " + last + ": expected a 4-byte data CRC after the "
        + (all.length - last - 16) + " data bytes, found 2 bytes before the end of the file",
        e.getMessage());
  }

  @Test
  void aRecordThatIsNotAnEventIsRejectedWithItsOffset() throws IOException {
    Path f = dir.resolve("events.out.tfevents.1.h");
    byte[] good = TfRecord.encode(Event.newBuilder().setFileVersion("brain.Event:2").build().toByteArray());
    byte[] bad = TfRecord.encode(new byte[] {0x2a, 0x05, 0x0a}); // summary of 5 bytes, 1 present
    byte[] all = Arrays.copyOf(good, good.length + bad.length);
    System.arraycopy(bad, 0, all, good.length, bad.length);
    Files.write(f, all);
    var e = assertThrows(IOException.class, () -> EventReader.read(f));
    assertTrue(e.getMessage().startsWith(f + ": record at offset " + good.length + " is not an Event: "),
        e.getMessage());
  }

  @Test
  void anEmptyFileHasNoEvents() throws IOException {
    Path f = Files.createFile(dir.resolve("events.out.tfevents.1.h"));
    EventReader r = EventReader.read(f);
    assertEquals(List.of(), r.events());
    assertEquals("", r.fileVersion());
  }

  @Test
  void misuseIsRejected() {
    EventWriter w = EventWriter.open(dir);
    assertThrows(IllegalArgumentException.class, () -> w.scalar("", 0, 1.0, 1f));
    assertThrows(IllegalArgumentException.class, () -> w.scalar("loss", -1, 1.0, 1f));
    assertThrows(IllegalArgumentException.class, () -> w.scalar("loss", 0, Double.NaN, 1f));
    w.close();
    w.close(); // a second close does nothing
    var e = assertThrows(IllegalStateException.class, () -> w.scalar("loss", 0, 1.0, 1f));
    assertTrue(e.getMessage().contains(w.path().toString()), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> EventWriter.open(dir, -1, "h"));
    assertThrows(IllegalArgumentException.class, () -> EventWriter.open(dir, 1, ""));
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsAnUncheckedIoErrorNamingIt() throws IOException {
    Path file = Files.createFile(dir.resolve("plain-file"));
    var e = assertThrows(java.io.UncheckedIOException.class, () -> EventWriter.open(file.resolve("x")));
    assertTrue(e.getMessage().contains(file.resolve("x").toString()), e.getMessage());
    assertNotEquals(null, e.getCause());
  }

  /** Bytes of the record at {@code offset}: its u64 LE length plus 16. */
  private static int recordLength(byte[] all, int offset) {
    return (int) java.nio.ByteBuffer.wrap(all, offset, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .getLong() + 16;
  }
}
