package org.dtrain.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarmupTest {
  @Test
  void parsesStepsAndAuto() {
    assertEquals(0, Warmup.parse("0"));
    assertEquals(200, Warmup.parse(" 200 "));
    assertEquals(-1, Warmup.parse("auto"));
    assertEquals(-1, Warmup.parse("AUTO"));
  }

  @Test
  void refusesWhatIsNeitherWithTheFlagAndTheValue() {
    for (String bad : new String[] {"-1", "2s", "", "5.5"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Warmup.parse(bad));
      assertTrue(e.getMessage().startsWith("--warmup: expected a number of steps (0 or more) or auto"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("found " + bad), e.getMessage());
    }
  }

  @Test
  void autoFillsAboutTwoSecondsWithinItsBounds() {
    assertEquals(200, Warmup.auto(10.0));   // 2 s at 10 ms per step
    assertEquals(67, Warmup.auto(30.0));    // rounded up
    assertEquals(Warmup.AUTO_MAX_STEPS, Warmup.auto(1.0));     // a tiny model: capped
    assertEquals(Warmup.AUTO_MIN_STEPS, Warmup.auto(2_000.0)); // a huge one: still a few steps
    assertEquals(Warmup.AUTO_MAX_STEPS, Warmup.auto(Double.NaN));
    assertEquals(Warmup.AUTO_MAX_STEPS, Warmup.auto(0));
  }
}
