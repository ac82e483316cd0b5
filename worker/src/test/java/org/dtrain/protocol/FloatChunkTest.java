package org.dtrain.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FloatChunkTest {
  private static final int MAX = FloatChunk.MAX_FLOATS;

  private static void assertTiles(float[] values, List<FloatChunk> chunks, int max) {
    int o = 0;
    for (FloatChunk c : chunks) {
      assertSame(values, c.array(), "a chunk is a window, not a copy");
      assertEquals(o, c.offset());
      assertEquals(o, c.from());
      assertEquals(values.length, c.total());
      assertEquals(Math.min(max, values.length - o), c.length());
      o += c.length();
    }
    assertEquals(values.length, o);
  }

  @Test
  void splitCutsIntoWindowsOfAtMostMaxFloats() {
    for (int n : new int[] {1, MAX - 1, MAX, MAX + 1, 2 * MAX, 3 * MAX + 5}) {
      float[] v = new float[n];
      List<FloatChunk> chunks = FloatChunk.split(v);
      assertEquals((n + MAX - 1) / MAX, chunks.size(), n + " floats");
      assertTiles(v, chunks, MAX);
    }
    float[] seven = {0, 1, 2, 3, 4, 5, 6};
    List<FloatChunk> three = FloatChunk.split(seven, 3);
    assertEquals(3, three.size());
    assertTiles(seven, three, 3);
    float[] back = new float[7];
    for (FloatChunk c : three) c.copyTo(back);
    assertArrayEquals(seven, back);
  }

  @Test
  void anEmptyArrayIsOneEmptyChunk() {
    List<FloatChunk> chunks = FloatChunk.split(new float[0]);
    assertEquals(1, chunks.size());
    assertEquals(0, chunks.get(0).length());
    assertEquals(0, chunks.get(0).total());
  }

  @Test
  void aWindowReadsAndCopiesItsOwnValues() {
    float[] a = {9, 1, 2, 3, 9};
    FloatChunk c = new FloatChunk(a, 1, 3, 2, 6);
    assertEquals(1f, c.get(0));
    assertEquals(3f, c.get(2));
    float[] dst = new float[6];
    c.copyTo(dst);
    assertArrayEquals(new float[] {0, 0, 1, 2, 3, 0}, dst);
    assertEquals("FloatChunk[2..5 of 6]", c.toString());
  }

  @Test
  void windowsOutsideTheArrayOrTheTotalAreRefused() {
    float[] a = new float[4];
    assertThrows(IllegalArgumentException.class, () -> new FloatChunk(a, -1, 2, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new FloatChunk(a, 0, -1, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new FloatChunk(a, 3, 2, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new FloatChunk(a, 0, 2, -1, 10));
    assertThrows(IllegalArgumentException.class, () -> new FloatChunk(a, 0, 2, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> new FloatChunk(a, 0, 2, 9, 10));
    assertEquals(2, new FloatChunk(a, 2, 2, 8, 10).length());
  }

  @Test
  void windowsWhoseEndOverflowsAnIntAreRefused() {
    float[] a = new float[4];
    // from + length and offset + length wrap around to negative numbers
    assertThrows(IllegalArgumentException.class,
        () -> new FloatChunk(a, Integer.MAX_VALUE, 2, 0, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new FloatChunk(a, 0, 2, Integer.MAX_VALUE, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new FloatChunk(a, 0, 2, Integer.MAX_VALUE - 1, Integer.MAX_VALUE));
  }
}
