package org.dtrain.coordinator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes {@code --metrics-out}: the CSV grows in a temporary file beside the target (flushed at most once
 * a second, so it can be watched without a write per step) and replaces the target only when training succeeds.
 */
public final class MetricsWriter implements AutoCloseable {
  private final Path target;
  private final Path tmp;
  private final BufferedWriter w;
  private boolean committed;
  private long lastFlush = System.nanoTime();
  private static final long FLUSH_NANOS = 1_000_000_000L; // at most once a second

  private MetricsWriter(Path target, Path tmp, BufferedWriter w) {
    this.target = target;
    this.tmp = tmp;
    this.w = w;
  }

  public static MetricsWriter open(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = abs.resolveSibling(abs.getFileName() + ".partial");
    BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
    w.write(EpochMetrics.CSV_HEADER);
    w.newLine();
    return new MetricsWriter(abs, tmp, w);
  }

  public void write(EpochMetrics m) {
    try {
      w.write(m.csvRow());
      w.newLine();
      long now = System.nanoTime();
      if (now - lastFlush > FLUSH_NANOS) {
        w.flush();
        lastFlush = now;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void commit() throws IOException {
    w.close();
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      w.close();
      Files.deleteIfExists(tmp);
    }
  }
}
