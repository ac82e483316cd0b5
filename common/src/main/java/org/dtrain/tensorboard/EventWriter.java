package org.dtrain.tensorboard;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.dtrain.proto.tensorboard.Event;
import org.dtrain.proto.tensorboard.Summary;

/**
 * Appends events to a new TensorBoard event file, {@code <dir>/events.out.tfevents.<unix
 * seconds>.<hostname>} (TensorBoard only reads files whose name contains "tfevents"; point it at
 * {@code dir} or a parent with {@code tensorboard --logdir}). Should that name already be taken,
 * {@code .1}, {@code .2}, ... is appended. The first event holds the wall time and the file version
 * {@value #FILE_VERSION}; each {@link #scalar} adds one event of one scalar.
 *
 * <p>Events are buffered: call {@link #flush()} after each step's events so a running TensorBoard
 * sees them while training goes on ({@link #close()} flushes too). Flushing hands the bytes to the
 * operating system; it does not force them to disk. IO errors are thrown as
 * {@link UncheckedIOException} naming the file. The methods are synchronized, so threads may share
 * one writer.
 */
public final class EventWriter implements AutoCloseable {
  /** The file version of the first event, as TensorFlow writes it. */
  public static final String FILE_VERSION = "brain.Event:2";
  /** Start of every event file's name; the unix seconds and the hostname follow. */
  public static final String FILE_PREFIX = "events.out.tfevents.";

  private static final int MAX_NAME_SUFFIX = 1000;

  private final Path path;
  private final OutputStream out;
  private boolean closed;

  private EventWriter(Path path, OutputStream out) {
    this.path = path;
    this.out = out;
  }

  /** A new event file in {@code dir} (created if missing), named after the current time and this
   * host, its file-version event already written and flushed. */
  public static EventWriter open(Path dir) {
    return open(dir, System.currentTimeMillis() / 1000.0, localHostname());
  }

  /**
   * A new event file in {@code dir} (created if missing) named
   * {@code events.out.tfevents.<floor(wallTimeSeconds)>.<hostname>}, its first event (wall time
   * {@code wallTimeSeconds}, file version {@value #FILE_VERSION}) written and flushed. Characters
   * of {@code hostname} other than letters, digits, '.', '_' and '-' become '_'.
   *
   * @param wallTimeSeconds seconds since the Unix epoch, finite and not negative
   */
  public static EventWriter open(Path dir, double wallTimeSeconds, String hostname) {
    checkWallTime(wallTimeSeconds);
    if (hostname == null || hostname.isEmpty()) {
      throw new IllegalArgumentException("hostname must not be empty");
    }
    String base = FILE_PREFIX + (long) Math.floor(wallTimeSeconds) + "."
        + hostname.replaceAll("[^A-Za-z0-9._-]", "_");
    Path path = dir.resolve(base);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot create the event directory: " + e.getMessage(), e);
    }
    OutputStream stream = null;
    for (int i = 1; stream == null; i++) {
      try {
        stream = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        if (i > MAX_NAME_SUFFIX) {
          throw new UncheckedIOException(dir.resolve(base) + ": event file exists, and so do its "
              + MAX_NAME_SUFFIX + " numbered variants", e);
        }
        path = dir.resolve(base + "." + i);
      } catch (IOException e) {
        throw new UncheckedIOException(path + ": cannot create the event file: " + e.getMessage(), e);
      }
    }
    EventWriter w = new EventWriter(path, new BufferedOutputStream(stream, 1 << 16));
    try {
      w.write(Event.newBuilder().setWallTime(wallTimeSeconds).setFileVersion(FILE_VERSION).build());
      w.flush();
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }

  /** The event file being written. */
  public Path path() {
    return path;
  }

  /**
   * Appends an event of one scalar: {@code value} of the series {@code tag} at {@code step}.
   *
   * @param tag the series name, not empty; "/" groups series in TensorBoard ("train/loss")
   * @param step the global step, not negative (TensorBoard's x axis)
   * @param wallTimeSeconds when the value was measured, seconds since the Unix epoch, finite
   * @param value any float; NaN and infinities are kept as they are
   */
  public synchronized void scalar(String tag, long step, double wallTimeSeconds, float value) {
    if (tag == null || tag.isEmpty()) throw new IllegalArgumentException("tag must not be empty");
    if (step < 0) throw new IllegalArgumentException("step must not be negative, found " + step);
    checkWallTime(wallTimeSeconds);
    write(Event.newBuilder().setWallTime(wallTimeSeconds).setStep(step)
        .setSummary(Summary.newBuilder().addValue(
            Summary.Value.newBuilder().setTag(tag).setSimpleValue(value)))
        .build());
  }

  /** Appends any event, as one record. */
  public synchronized void write(Event event) {
    ensureOpen();
    try {
      TfRecord.write(out, event.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot write an event: " + e.getMessage(), e);
    }
  }

  /** Hands the buffered events to the operating system, where TensorBoard can read them. */
  public synchronized void flush() {
    ensureOpen();
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot flush events: " + e.getMessage(), e);
    }
  }

  /** Flushes and closes the file; later calls do nothing. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot close the event file: " + e.getMessage(), e);
    }
  }

  private void ensureOpen() {
    if (closed) throw new IllegalStateException(path + ": event writer is closed");
  }

  private static void checkWallTime(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      throw new IllegalArgumentException("wall time must be finite seconds since the Unix epoch, found "
          + seconds);
    }
  }

  /** This host's name, as TensorFlow puts it in event file names; "localhost" if unknown. */
  static String localHostname() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      if (h != null && !h.isEmpty()) return h;
    } catch (IOException e) {
      // fall through: the name only tells files apart
    }
    String env = System.getenv("HOSTNAME");
    return env != null && !env.isEmpty() ? env : "localhost";
  }
}
