package org.dtrain.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;

class BuffersTest {

  @Test
  void allocateGivesExactlyTheRequestedCapacityZeroedAlignedAndNativeOrder() {
    // Many sizes and many allocations: the start address of allocateDirect varies, and a bug that
    // depends on it (rounding the end down to the alignment) shows up for most addresses.
    List<FloatBuffer> keep = new ArrayList<>();
    for (int n = 0; n <= 300; n++) {
      FloatBuffer b = Buffers.allocate(n);
      keep.add(b);
      assertEquals(n, b.capacity(), "capacity of allocate(" + n + ")");
      assertEquals(0, b.position());
      assertEquals(n, b.limit());
      assertTrue(b.isDirect());
      assertEquals(ByteOrder.nativeOrder(), b.order());
      for (int i = 0; i < n; i++) assertEquals(0f, b.get(i));
      if (n > 0) {
        long address = new FloatPointer(b).address();
        assertEquals(0, address % 64, "allocate(" + n + ") is not 64-byte aligned");
      }
    }
  }

  @Test
  void ofCopiesAndViewSharesStorage() {
    FloatBuffer b = Buffers.of(1f, 2f, 3f, 4f);
    assertEquals(4, b.capacity());
    FloatBuffer v = Buffers.view(b, 1, 2);
    assertEquals(2, v.capacity());
    assertEquals(2f, v.get(0));
    v.put(1, 9f);
    assertEquals(9f, b.get(2));
    assertFalse(Buffers.hasNonFinite(b, 4));
    b.put(3, Float.NaN);
    assertTrue(Buffers.hasNonFinite(b, 4));
    assertFalse(Buffers.hasNonFinite(b, 3));
  }
}
