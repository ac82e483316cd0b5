package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Values against the documented formulas; 1e-7 relative covers the final rounding to float. */
class LrScheduleTest {
  private static final double REL = 1e-7;

  private static void near(double expected, float actual, String what) {
    assertEquals(expected, actual, REL * Math.abs(expected) + 1e-12, what);
  }

  @Test
  void constantIsTheBaseRateAtEveryStep() {
    LrSchedule s = LrSchedule.constant(0.05f);
    for (long t : new long[] {0, 1, 10, 1_000_000}) assertEquals(0.05f, s.at(t), "t=" + t);
  }

  @Test
  void stepMultipliesByGammaEveryStepEvery() {
    LrSchedule s = new LrSchedule(LrSchedule.Kind.STEP, 1f, 100, 0, 10, 0.5f);
    near(1, s.at(0), "t=0");
    near(1, s.at(9), "t=9");
    near(0.5, s.at(10), "t=10");
    near(0.5, s.at(19), "t=19");
    near(0.25, s.at(20), "t=20");
    near(Math.pow(0.5, 9), s.at(99), "t=99");
  }

  @Test
  void stepDefaultsToAThirdOfTheStepsAndGammaAsGiven() {
    LrSchedule s = new LrSchedule(LrSchedule.Kind.STEP, 0.3f, 90, 0, 0, 0.1f);
    near(0.3f, s.at(29), "t=29");
    near(0.3f * 0.1, s.at(30), "t=30");
    near(0.3f * 0.01, s.at(60), "t=60");
    // Fewer than 3 total steps: every = 1 rather than a division by zero.
    LrSchedule tiny = new LrSchedule(LrSchedule.Kind.STEP, 1f, 2, 0, 0, 0.5f);
    near(0.5, tiny.at(1), "tiny t=1");
  }

  @Test
  void cosineFallsFromTheBaseRateToZeroOverTheRun() {
    float base = 0.2f;
    LrSchedule s = new LrSchedule(LrSchedule.Kind.COSINE, base, 100, 0, 0, 1f);
    near(base, s.at(0), "t=0");
    near(base * 0.5 * (1 + Math.cos(Math.PI * 25 / 100)), s.at(25), "t=25");
    near(base * 0.5, s.at(50), "t=50");
    assertEquals(0f, s.at(100), 1e-9f, "t=T");
    assertEquals(0f, s.at(150), 1e-9f, "after T it stays at the end value");
    for (long t = 1; t <= 100; t++) assertTrue(s.at(t) <= s.at(t - 1), "non-increasing at " + t);
  }

  @Test
  void warmupRampsLinearlyThenHandsOverToTheSchedule() {
    LrSchedule c = new LrSchedule(LrSchedule.Kind.CONSTANT, 1f, 100, 4, 0, 1f);
    near(0.25, c.at(0), "t=0");
    near(0.5, c.at(1), "t=1");
    near(0.75, c.at(2), "t=2");
    near(1.0, c.at(3), "t=3");
    near(1.0, c.at(4), "t=4");
    // With cosine the warmup factor multiplies the cosine value.
    LrSchedule cos = new LrSchedule(LrSchedule.Kind.COSINE, 1f, 100, 10, 0, 1f);
    near(0.5 * (1 + Math.cos(Math.PI * 4 / 100)) * 5 / 10, cos.at(4), "cosine t=4");
    near(0.5 * (1 + Math.cos(Math.PI * 10 / 100)), cos.at(10), "cosine t=10");
  }

  @Test
  void rejectsBadSettingsAndNamesAllowedKinds() {
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(0f));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(Float.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> new LrSchedule(LrSchedule.Kind.STEP, 1f, 10, -1, 0, 0.5f));
    assertThrows(IllegalArgumentException.class,
        () -> new LrSchedule(LrSchedule.Kind.STEP, 1f, 10, 0, 0, 1.5f));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LrSchedule.parseKind("exponential"));
    assertTrue(e.getMessage().contains("constant, step, cosine"), e.getMessage());
    assertEquals(LrSchedule.Kind.COSINE, LrSchedule.parseKind(" Cosine "));
  }
}
