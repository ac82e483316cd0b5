package org.dtrain.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import org.dtrain.math.Buffers;
import org.junit.jupiter.api.Test;

class FloatChunkTest {
  private static final int MAX = FloatChunk.MAX_FLOATS;

  private static void assertTiles(float[] values, List<FloatChunk> chunks, int max) {
    int o = 0;
    for (FloatChunk c : chunks) {
      assertSame(values, c.values().array(), "a chunk is a window, not a copy");
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

  @Test
  void chunksAreEqualWhenTheyAreTheSameWindowOfTheSameBufferNotWhenTheirValuesAre() {
    float[] a = {1f, 2f, 3f};
    FloatChunk c = FloatChunk.whole(a);
    assertEquals(new FloatChunk(c.values(), 0, 3, 0, 3), c);
    assertEquals(new FloatChunk(c.values(), 0, 3, 0, 3).hashCode(), c.hashCode());
    assertNotEquals(FloatChunk.whole(a.clone()), c, "equal values, another buffer");
    assertNotEquals(new FloatChunk(c.values(), 1, 2, 1, 3), c);
  }

  @Test
  void aViewSharesItsBufferAndCopiesGoToTheirOffset() {
    FloatBuffer tree = Buffers.of(4f, 5f, 6f, 7f);
    FloatChunk v = FloatChunk.view(tree, 3);
    assertSame(tree, v.values());
    assertTrue(v.isWhole());
    tree.put(1, -5f);
    assertEquals(-5f, v.get(1), "a view, not a snapshot");
    FloatBuffer dst = FloatBuffer.allocate(6);
    new FloatChunk(tree, 1, 2, 3, 6).copyTo(dst);
    assertArrayEquals(new float[] {0f, 0f, 0f, -5f, 6f, 0f}, dst.array());
    assertFalse(new FloatChunk(tree, 1, 2, 0, 2).isWhole(), "not from the buffer's start");
  }
}
