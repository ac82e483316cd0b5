package org.dtrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.dtrain.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parsers of {@code --sim-latency}, {@code --sim-bandwidth} and {@code --sim-slow-worker}. */
class SimFlagsTest {
  private static void assertMessage(IllegalArgumentException e, String... parts) {
    for (String p : parts) assertTrue(e.getMessage().contains(p), e.getMessage() + " lacks " + p);
  }

  @Test
  void latenciesInEveryUnit() {
    assertEquals(0, ShortDurations.parseNanos("--f", "0"));
    assertEquals(0, ShortDurations.parseNanos("--f", "0us"));
    assertEquals(750, ShortDurations.parseNanos("--f", "750ns"));
    assertEquals(200_000, ShortDurations.parseNanos("--f", "200us"));
    assertEquals(1_500_000, ShortDurations.parseNanos("--f", "1.5ms"));
    assertEquals(2_000_000_000L, ShortDurations.parseNanos("--f", "2s"));
    assertEquals(60_000_000_000L, ShortDurations.parseNanos("--f", "60s"));
    assertEquals(2, ShortDurations.parseNanos("--f", "1.5ns"), "rounded to the nanosecond");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "200", "fast", "-1ms", "1.ms", "2m", "1h", "1e3us", "NaNms", "200 us",
      "5µs"})
  void badLatencies(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShortDurations.parseNanos("--sim-latency", text));
    assertMessage(e, "--sim-latency: expected a duration like 200us", "found '" + text + "'");
  }

  @Test
  void aLatencyOfMoreThanAMinuteIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ShortDurations.parseNanos("--sim-latency", "61s"));
    assertMessage(e, "--sim-latency: expected at most 60s", "found '61s'");
  }

  @Test
  void bandwidthsInBitsAndBytes() {
    assertEquals(1e10, Bandwidths.parseBitsPerSecond("--f", "10Gbit"));
    assertEquals(1e10, Bandwidths.parseBitsPerSecond("--f", "10gbit/s"));
    assertEquals(1e10, Bandwidths.parseBitsPerSecond("--f", "10Gbps"));
    assertEquals(1e8, Bandwidths.parseBitsPerSecond("--f", "100Mbit"));
    assertEquals(2.5e3, Bandwidths.parseBitsPerSecond("--f", "2.5Kbit"));
    assertEquals(64, Bandwidths.parseBitsPerSecond("--f", "64bit"));
    assertEquals(1e12, Bandwidths.parseBitsPerSecond("--f", "1Tbit"));
    assertEquals(1e9, Bandwidths.parseBitsPerSecond("--f", "125MB/s"));
    assertEquals(8e3, Bandwidths.parseBitsPerSecond("--f", "1kB/s"));
    assertEquals(8e3, Bandwidths.parseBitsPerSecond("--f", "1KB/s"));
    assertEquals(8e9, Bandwidths.parseBitsPerSecond("--f", "1GB/s"));
    assertEquals(80, Bandwidths.parseBitsPerSecond("--f", "10B/s"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "fast", "-1Gbit", "10Gb", "10mb/s", "10MB", "10 Gigabit",
      "1e9bit", "10Pbit"})
  void badBandwidths(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Bandwidths.parseBitsPerSecond("--sim-bandwidth", text));
    assertMessage(e, "--sim-bandwidth: expected a bandwidth like 10Gbit", "found '" + text + "'");
  }

  @Test
  void aZeroBandwidthIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Bandwidths.parseBitsPerSecond("--sim-bandwidth", "0Mbit"));
    assertMessage(e, "--sim-bandwidth: expected a positive bandwidth", "found '0Mbit'");
  }

  @Test
  void slowWorkers() {
    assertEquals(Map.of(1, 3.0, 0, 1.5),
        SlowWorkers.parse("--f", List.of("1:3x", "0:1.5x"), 2));
    assertEquals(Map.of(3, 20.0), SlowWorkers.parse("--f", List.of("3:20"), 4), "x optional");
    assertEquals(Map.of(0, 1.0), SlowWorkers.parse("--f", List.of("0:1x"), 1));
    assertEquals(Map.of(), SlowWorkers.parse("--f", List.of(), 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "1:", ":3x", "a:3x", "1:fast", "-1:3x", "1:-3x", "1:3y", "1:3xx",
      "1=3x"})
  void badSlowWorkerForms(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SlowWorkers.parse("--sim-slow-worker", List.of(text), 2));
    assertMessage(e, "--sim-slow-worker: expected WORKER:FACTORx like 1:3x (worker 0 to 1",
        "found '" + text + "'");
  }

  @Test
  void slowWorkerOutOfRangeTooFastTooSlowOrTwice() {
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> SlowWorkers.parse("--sim-slow-worker", List.of("2:3x"), 2)),
        "--sim-slow-worker: expected a worker index 0 to 1 (there are 2 workers)", "found 2 in '2:3x'");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> SlowWorkers.parse("--sim-slow-worker", List.of("12345678901:3x"), 2)),
        "expected a worker index 0 to 1", "found 12345678901");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> SlowWorkers.parse("--sim-slow-worker", List.of("1:0.5x"), 2)),
        "--sim-slow-worker: expected a factor from 1 (normal speed) to 1000", "found 0.5 in '1:0.5x'");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> SlowWorkers.parse("--sim-slow-worker", List.of("1:1001x"), 2)),
        "to 1000", "found 1001");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> SlowWorkers.parse("--sim-slow-worker", List.of("1:3x", "1:2x"), 2)),
        "--sim-slow-worker: expected each worker once", "worker 1 twice ('1:3x' and '1:2x')");
  }

  @Test
  void theOptionsMakeASimulation() {
    SimOptions o = new SimOptions();
    assertTrue(o.simulation(2).isNone(), "no flags: nothing simulated");
    o.latency = "200us";
    o.bandwidth = "10Gbit";
    o.slowWorkers = List.of("1:3x");
    Simulation s = o.simulation(2);
    assertEquals(new Simulation(200_000, 1e10, Map.of(1, 3.0)), s);
    assertEquals("simulated: latency 200us, bandwidth 10Gbit/s, worker 1 computes 3x slower",
        s.describe());
  }
}
