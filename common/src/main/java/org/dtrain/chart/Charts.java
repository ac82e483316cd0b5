package org.dtrain.chart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Renders a {@link Chart} as SVG text or PNG bytes, or writes both files. The two come from the
 * same layout drawn on two {@link Canvas}es, so they show the same picture. PNG rendering runs
 * headless (no display needed).
 *
 * <pre>{@code
 * Charts.write(chart, runDir.resolve("loss"));   // runDir/loss.svg and runDir/loss.png, 800x500
 * }</pre>
 */
public final class Charts {
  private Charts() {}

  public static final int DEFAULT_WIDTH = 800;
  public static final int DEFAULT_HEIGHT = 500;
  /** The smallest picture a chart is laid out in. */
  public static final int MIN_WIDTH = 200;
  public static final int MIN_HEIGHT = 150;

  /** The chart as an SVG document, {@value #DEFAULT_WIDTH}x{@value #DEFAULT_HEIGHT}. */
  public static String svg(Chart chart) {
    return svg(chart, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  public static String svg(Chart chart, int width, int height) {
    checkSize(width, height);
    SvgCanvas canvas = new SvgCanvas(width, height);
    draw(chart, canvas);
    return canvas.finish();
  }

  /** The chart as PNG bytes, {@value #DEFAULT_WIDTH}x{@value #DEFAULT_HEIGHT}. */
  public static byte[] png(Chart chart) {
    return png(chart, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  public static byte[] png(Chart chart, int width, int height) {
    checkSize(width, height);
    PngCanvas canvas = new PngCanvas(width, height);
    draw(chart, canvas);
    return canvas.finish();
  }

  /** {@link #write(Chart, Path, int, int)} at {@value #DEFAULT_WIDTH}x{@value #DEFAULT_HEIGHT}. */
  public static List<Path> write(Chart chart, Path withoutExtension) throws IOException {
    return write(chart, withoutExtension, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /**
   * Writes {@code withoutExtension} + ".svg" and + ".png", creating the directory if needed. Each
   * file is written to a temporary file in the same directory and moved into place, so a reader
   * sees the old file or the new one, never a part; on failure no temporary file is left.
   *
   * @return the SVG and PNG paths, in that order
   */
  public static List<Path> write(Chart chart, Path withoutExtension, int width, int height)
      throws IOException {
    String name = withoutExtension.getFileName().toString();
    Path svg = withoutExtension.resolveSibling(name + ".svg");
    Path png = withoutExtension.resolveSibling(name + ".png");
    byte[] svgBytes = svg(chart, width, height).getBytes(StandardCharsets.UTF_8);
    byte[] pngBytes = png(chart, width, height);
    Path dir = withoutExtension.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    replace(dir, svg, svgBytes);
    replace(dir, png, pngBytes);
    return List.of(svg, png);
  }

  /**
   * Writes {@code bytes} to a new hidden file beside {@code target} and renames it over the target.
   * Not {@code Files.createTempFile}: its files are private to the owner, and a chart should get
   * the permissions of any other file the process writes.
   */
  private static void replace(Path dir, Path target, byte[] bytes) throws IOException {
    Path temp = dir.resolve("." + target.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
    try {
      Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void draw(Chart chart, Canvas canvas) {
    if (chart instanceof LineChart line) {
      LinePlot.draw(line, canvas);
    } else if (chart instanceof StackedBarChart bars) {
      BarPlot.draw(bars, canvas);
    } else {
      throw new IllegalArgumentException("no layout for " + chart.getClass().getName());
    }
  }

  private static void checkSize(int width, int height) {
    if (width < MIN_WIDTH || height < MIN_HEIGHT) {
      throw new IllegalArgumentException("a chart needs at least " + MIN_WIDTH + "x" + MIN_HEIGHT
          + " pixels, not " + width + "x" + height);
    }
  }
}
