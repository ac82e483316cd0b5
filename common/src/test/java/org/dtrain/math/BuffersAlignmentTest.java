package org.dtrain.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Buffers.allocate must give exactly n floats for every n, whatever address malloc returns. */
class BuffersAlignmentTest {
  @Test
  void allocateGivesExactlyNFloatsForEverySize() {
    for (int n = 0; n <= 2048; n++) {
      FloatBuffer b = Buffers.allocate(n);
      assertEquals(n, b.capacity(), "capacity for n=" + n);
      assertEquals(0, b.position());
      assertEquals(ByteOrder.nativeOrder(), b.order());
      for (int i = 0; i < n; i++) assertEquals(0f, b.get(i));
    }
    assertEquals(235146, Buffers.allocate(235146).capacity()); // 784-256-128-10 parameters
  }

  @Test
  void nativeBlasLoads() {
    // Blas.get() falls back to Java silently (NOP logger) when OpenBLAS's constructor throws;
    // allocate() used to throw there for a 1-float buffer.
    assertEquals(true, Blas.get().name().startsWith("openblas"), Blas.get().name());
  }
}
