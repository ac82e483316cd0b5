package org.dtrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticDataTest {
  private static final DataOptions DEFAULTS = DataOptions.defaults();

  @Test
  void truthTablesAreTheFourLectureRows() {
    float[] inputs = {0, 0, 0, 1, 1, 0, 1, 1};
    LabeledTable xor = SyntheticData.generate("xor", DEFAULTS);
    assertArrayEquals(inputs, xor.features());
    assertArrayEquals(new double[] {0, 1, 1, 0}, xor.labels());
    assertArrayEquals(new double[] {0, 0, 0, 1}, SyntheticData.generate("and", DEFAULTS).labels());
    assertArrayEquals(new double[] {0, 1, 1, 1}, SyntheticData.generate("or", DEFAULTS).labels());
    assertTrue(xor.labelsAreBinary());
  }

  @Test
  void truthTablesIgnoreTheRowCount() {
    assertEquals(4, SyntheticData.generate("xor", DEFAULTS.withSyntheticRows(100)).rows());
  }

  @ParameterizedTest
  @ValueSource(strings = {"xor", "and", "or", "blobs", "circles", "spiral", "teacher"})
  void sameSeedGivesIdenticalDataBitForBit(String name) {
    LabeledTable a = SyntheticData.generate(name, DEFAULTS.withSyntheticSeed(5));
    LabeledTable b = SyntheticData.generate(name, DEFAULTS.withSyntheticSeed(5));
    assertArrayEquals(a.features(), b.features());
    assertArrayEquals(a.labels(), b.labels());
  }

  @ParameterizedTest
  @ValueSource(strings = {"blobs", "circles", "spiral", "teacher"})
  void differentSeedsGiveDifferentSamples(String name) {
    LabeledTable a = SyntheticData.generate(name, DEFAULTS.withSyntheticSeed(1));
    LabeledTable b = SyntheticData.generate(name, DEFAULTS.withSyntheticSeed(2));
    assertFalse(Arrays.equals(a.features(), b.features()));
  }

  @Test
  void defaultSizesAndClassCounts() {
    LabeledTable blobs = SyntheticData.generate("blobs", DEFAULTS);
    assertEquals(600, blobs.rows());
    assertEquals(2, blobs.cols());
    assertEquals(3, blobs.inferNumClasses());
    LabeledTable circles = SyntheticData.generate("circles", DEFAULTS);
    assertEquals(2, circles.cols());
    assertTrue(circles.labelsAreBinary());
    LabeledTable spiral = SyntheticData.generate("spiral", DEFAULTS);
    assertEquals(300, spiral.rows());
    assertEquals(3, spiral.inferNumClasses());
    LabeledTable teacher = SyntheticData.generate("teacher", DEFAULTS);
    assertEquals(1000, teacher.rows());
    assertEquals(8, teacher.cols());
    assertEquals("synthetic:teacher", teacher.source());
  }

  @Test
  void optionsSetRowsClassesFeaturesAndNoise() {
    DataOptions o = DEFAULTS.withSyntheticRows(50).withSyntheticClasses(5).withSyntheticFeatures(4)
        .withSyntheticNoise(0);
    LabeledTable blobs = SyntheticData.generate("blobs", o);
    assertEquals(50, blobs.rows());
    assertEquals(4, blobs.cols());
    assertEquals(5, blobs.inferNumClasses());
    // Without noise every row of a class sits exactly on its centre.
    assertArrayEquals(Arrays.copyOfRange(blobs.features(), 0, 4),
        Arrays.copyOfRange(blobs.features(), 5 * 4, 6 * 4));
  }

  @Test
  void spiralArmsFollowTheCs231nFormulaWithoutNoise() {
    LabeledTable s = SyntheticData.generate("spiral",
        DEFAULTS.withSyntheticRows(6).withSyntheticClasses(2).withSyntheticNoise(0));
    // Arm 0: r = 0, 0.5, 1 and t = 0, 2, 4; the point is (r sin t, r cos t).
    assertEquals(0f, s.features()[0]);
    assertEquals((float) (0.5 * StrictMath.sin(2)), s.features()[2]);
    assertEquals((float) StrictMath.cos(4), s.features()[5]);
    assertArrayEquals(new double[] {0, 0, 0, 1, 1, 1}, s.labels());
  }

  @Test
  void circlesHaveRadiusOneAndAHalfWithoutNoise() {
    LabeledTable c = SyntheticData.generate("circles", DEFAULTS.withSyntheticNoise(0));
    for (int r = 0; r < c.rows(); r++) {
      double radius = Math.hypot(c.features()[2 * r], c.features()[2 * r + 1]);
      assertEquals(c.labels()[r] == 0 ? 1.0 : 0.5, radius, 1e-6);
    }
  }

  @Test
  void teacherIsTheSameFunctionForEverySeed() {
    // With no noise the targets are f(x) for the fixed teacher f: the same x gives the same y.
    DataOptions quiet = DEFAULTS.withSyntheticNoise(0).withSyntheticRows(3);
    LabeledTable a = SyntheticData.generate("teacher", quiet.withSyntheticSeed(1));
    LabeledTable b = SyntheticData.generate("teacher", quiet.withSyntheticSeed(1));
    assertArrayEquals(a.labels(), b.labels());
    LabeledTable c = SyntheticData.generate("teacher", quiet.withSyntheticSeed(2));
    assertNotEquals(a.labels()[0], c.labels()[0]);
    assertEquals("target", a.labelName());
    assertFalse(a.labelsAreBinary());
  }

  @Test
  void unknownNameListsTheNames() {
    DataException e = assertThrows(DataException.class,
        () -> SyntheticData.generate("moons", DEFAULTS));
    assertEquals("synthetic:moons: expected a generator name, one of xor, and, or, blobs, circles,"
        + " spiral, teacher, found 'moons'", e.getMessage());
  }

  @Test
  void fixedShapeGeneratorsRejectOtherShapes() {
    assertEquals("synthetic:circles: expected 2 features (the circles are 2-D), found 3",
        assertThrows(DataException.class, () -> SyntheticData.generate("circles",
            DEFAULTS.withSyntheticFeatures(3))).getMessage());
    assertEquals("synthetic:xor: expected 2 classes (a truth table has 2), found 4",
        assertThrows(DataException.class, () -> SyntheticData.generate("xor",
            DEFAULTS.withSyntheticClasses(4))).getMessage());
    assertEquals("synthetic:teacher: expected no class count (this is a regression data set with a"
            + " real target), found 3 classes",
        assertThrows(DataException.class, () -> SyntheticData.generate("teacher",
            DEFAULTS.withSyntheticClasses(3))).getMessage());
  }

  @Test
  void tooFewRowsOrClassesAreRejected() {
    assertEquals("synthetic:blobs: expected at least 4 rows (one per class), found 3",
        assertThrows(DataException.class, () -> SyntheticData.generate("blobs",
            DEFAULTS.withSyntheticClasses(4).withSyntheticRows(3))).getMessage());
    assertEquals("synthetic:spiral: expected at least 2 classes, found 1",
        assertThrows(DataException.class, () -> SyntheticData.generate("spiral",
            DEFAULTS.withSyntheticClasses(1))).getMessage());
  }
}
