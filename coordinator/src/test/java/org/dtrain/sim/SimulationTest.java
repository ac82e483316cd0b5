package org.dtrain.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulationTest {
  @Test
  void noneSimulatesNothing() {
    assertTrue(Simulation.NONE.isNone());
    assertFalse(Simulation.NONE.simulatesNetwork());
    assertEquals(1.0, Simulation.NONE.slowdown(0));
    assertEquals("nothing simulated", Simulation.NONE.describe());
    assertTrue(new Simulation(0, Double.POSITIVE_INFINITY, Map.of(0, 1.0)).isNone(),
        "1x is normal speed");
  }

  @Test
  void aLatencyAloneOrABandwidthAloneIsANetwork() {
    Simulation latency = new Simulation(2_000_000, Double.POSITIVE_INFINITY, Map.of());
    assertTrue(latency.simulatesNetwork());
    assertEquals("simulated: latency 2ms, bandwidth unlimited", latency.describe());
    Simulation bandwidth = new Simulation(0, 1e8, Map.of());
    assertTrue(bandwidth.simulatesNetwork());
    assertEquals("simulated: latency 0ns, bandwidth 100Mbit/s", bandwidth.describe());
    assertEquals(1e8 / 8, bandwidth.network().bytesPerSecond(), "the model counts bytes");
    assertEquals(2_000_000, latency.network().latencyNanos());
  }

  @Test
  void slowWorkersAloneAreNoNetwork() {
    Simulation s = new Simulation(0, Double.POSITIVE_INFINITY, Map.of(1, 20.0, 0, 1.5));
    assertFalse(s.isNone());
    assertFalse(s.simulatesNetwork());
    assertEquals(20.0, s.slowdown(1));
    assertEquals(1.0, s.slowdown(2));
    assertEquals("simulated: worker 0 computes 1.5x slower, worker 1 computes 20x slower",
        s.describe());
  }

  @Test
  void unitsAreTheFlagsOwn() {
    assertEquals("750ns", Simulation.latency(750));
    assertEquals("200us", Simulation.latency(200_000));
    assertEquals("1.5ms", Simulation.latency(1_500_000));
    assertEquals("2s", Simulation.latency(2_000_000_000L));
    assertEquals("64bit", Simulation.bandwidth(64));
    assertEquals("2.5Kbit", Simulation.bandwidth(2_500));
    assertEquals("1Gbit", Simulation.bandwidth(1e9));
    assertEquals("1.25Tbit", Simulation.bandwidth(1.25e12));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new Simulation(-1, 1e9, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new Simulation(0, 0, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new Simulation(0, Double.NaN, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new Simulation(0, 1e9, Map.of(0, 0.5)));
    assertThrows(IllegalArgumentException.class, () -> new Simulation(0, 1e9, Map.of(-1, 2.0)));
    assertThrows(IllegalArgumentException.class,
        () -> new Simulation(0, 1e9, Map.of(0, Double.POSITIVE_INFINITY)));
  }
}
