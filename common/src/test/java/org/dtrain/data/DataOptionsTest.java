package org.dtrain.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DataOptionsTest {
  @Test
  void defaultsMeanGeneratorDefaults() {
    DataOptions o = DataOptions.defaults();
    assertEquals("label", o.label());
    assertEquals(0, o.syntheticRows());
    assertEquals(1, o.syntheticSeed());
    assertEquals(0, o.syntheticClasses());
    assertEquals(0, o.syntheticFeatures());
    assertEquals(-1, o.syntheticNoise());
  }

  @Test
  void withersReturnChangedCopiesAndLeaveTheOriginal() {
    DataOptions o = DataOptions.defaults();
    DataOptions p = o.withLabel("y").withSyntheticRows(10).withSyntheticSeed(9)
        .withSyntheticClasses(4).withSyntheticFeatures(3).withSyntheticNoise(0.5);
    assertEquals("label", o.label());
    assertEquals("y", p.label());
    assertEquals(10, p.syntheticRows());
    assertEquals(9, p.syntheticSeed());
    assertEquals(4, p.syntheticClasses());
    assertEquals(3, p.syntheticFeatures());
    assertEquals(0.5, p.syntheticNoise());
    assertNotEquals(o, p);
    assertEquals(p, DataOptions.defaults().withLabel("y").withSyntheticRows(10).withSyntheticSeed(9)
        .withSyntheticClasses(4).withSyntheticFeatures(3).withSyntheticNoise(0.5));
  }

  @Test
  void negativeCountsAndBlankLabelsAreRejected() {
    assertEquals("synthetic rows: expected a count >= 0 (0 = the generator's default), found -5",
        assertThrows(DataException.class,
            () -> DataOptions.defaults().withSyntheticRows(-5)).getMessage());
    assertEquals("label column: expected a column name, found an empty one",
        assertThrows(DataException.class, () -> DataOptions.defaults().withLabel(" ")).getMessage());
  }
}
