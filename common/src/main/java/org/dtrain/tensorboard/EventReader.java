package org.dtrain.tensorboard;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dtrain.proto.tensorboard.Event;
import org.dtrain.proto.tensorboard.Summary;

/**
 * All events of one event file, read at once with every record's CRCs checked (the inverse of
 * {@link EventWriter}). A fault, be it a CRC mismatch, a truncated record or a record that is not
 * an {@link Event}, is an {@link IOException} naming the file and the record's byte offset. A file
 * still being written may end in a partial record and then fails to read; read it again after the
 * writer's next flush.
 */
public final class EventReader {
  /**
   * One scalar of a summary event.
   *
   * @param tag the series name
   * @param step the event's global step
   * @param wallTime the event's wall time, seconds since the Unix epoch
   * @param value the {@code simple_value}
   */
  public record Scalar(String tag, long step, double wallTime, float value) {}

  private final Path file;
  private final List<Event> events;
  private final String fileVersion;
  private final List<Scalar> scalars;

  private EventReader(Path file, List<Event> events) {
    this.file = file;
    this.events = List.copyOf(events);
    String version = "";
    List<Scalar> s = new ArrayList<>();
    for (Event e : events) {
      if (version.isEmpty() && e.hasFileVersion()) version = e.getFileVersion();
      if (!e.hasSummary()) continue;
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (v.getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE) {
          s.add(new Scalar(v.getTag(), e.getStep(), e.getWallTime(), v.getSimpleValue()));
        }
      }
    }
    this.fileVersion = version;
    this.scalars = List.copyOf(s);
  }

  /** Reads and checks every record of {@code file}. */
  public static EventReader read(Path file) throws IOException {
    List<Event> events = new ArrayList<>();
    try (TfRecord.Reader r = TfRecord.Reader.open(file)) {
      while (true) {
        long offset = r.offset();
        byte[] data = r.next();
        if (data == null) break;
        try {
          events.add(Event.parseFrom(data));
        } catch (InvalidProtocolBufferException e) {
          throw new IOException(file + ": record at offset " + offset + " is not an Event: "
              + e.getMessage(), e);
        }
      }
    }
    return new EventReader(file, events);
  }

  /** The file read. */
  public Path file() {
    return file;
  }

  /** The file version of the first event that has one ("brain.Event:2"); "" if none does. */
  public String fileVersion() {
    return fileVersion;
  }

  /** Every event, in file order. */
  public List<Event> events() {
    return events;
  }

  /** Every {@code simple_value} of every summary event, in file order. */
  public List<Scalar> scalars() {
    return scalars;
  }
}
