package org.dtrain.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.junit.jupiter.api.Test;

/** Arrays made ahead are handed out once, at their length only, and never again. */
class FreshArraysTest {
  @Test
  void thePreparedArrayIsHandedOutOnceThenNewOnes() {
    FreshArrays a = new FreshArrays();
    a.prepare(5);
    float[] first = a.take(5);
    float[] second = a.take(5);
    assertEquals(5, first.length);
    assertEquals(5, second.length);
    assertNotSame(first, second, "the spare is gone once taken");
    a.prepare(5);
    float[] third = a.take(5);
    assertNotSame(first, third);
    assertNotSame(second, third);
  }

  @Test
  void aSpareOfAnotherLengthIsNotHandedOut() {
    FreshArrays a = new FreshArrays();
    a.prepare(3);
    float[] four = a.take(4);
    assertEquals(4, four.length);
    a.prepare(4);
    float[] spare = a.take(4);
    assertNotSame(four, spare);
    assertEquals(4, spare.length);
  }

  @Test
  void takenArraysAreZero() {
    FreshArrays a = new FreshArrays();
    a.prepare(8);
    for (float v : a.take(8)) assertEquals(0f, v);
  }
}
