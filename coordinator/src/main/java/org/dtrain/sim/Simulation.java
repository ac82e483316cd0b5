package org.dtrain.sim;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a cluster in one JVM simulates ({@code --sim-latency}, {@code --sim-bandwidth},
 * {@code --sim-slow-worker}): a network between the coordinator and the workers, timed by
 * {@link NetworkModel}, and workers on slower machines. It changes how long a job takes, never a
 * bit of the weights.
 *
 * @param latencyNanos one-way latency of every coordinator-worker message, in ns, at least 0
 * @param bitsPerSecond every host's NIC bandwidth, in bit/s, positive; infinity: no limit
 * @param slowWorkers worker index (0..K-1) to compute slowdown F (finite, above 1); a worker not
 *     listed computes at normal speed (a factor of exactly 1 is dropped)
 */
public record Simulation(long latencyNanos, double bitsPerSecond, Map<Integer, Double> slowWorkers) {
  /** Nothing simulated: the cluster runs as it is. */
  public static final Simulation NONE = new Simulation(0, Double.POSITIVE_INFINITY, Map.of());

  public Simulation {
    if (latencyNanos < 0) throw new IllegalArgumentException("latency < 0: " + latencyNanos);
    if (!(bitsPerSecond > 0)) throw new IllegalArgumentException("bandwidth <= 0: " + bitsPerSecond);
    Map<Integer, Double> slow = new TreeMap<>();
    for (Map.Entry<Integer, Double> e : slowWorkers.entrySet()) {
      double f = e.getValue();
      if (e.getKey() < 0 || !(f >= 1) || Double.isInfinite(f)) {
        throw new IllegalArgumentException("slow worker " + e.getKey() + " at " + f + "x");
      }
      if (f > 1) slow.put(e.getKey(), f);
    }
    slowWorkers = Collections.unmodifiableMap(slow);
  }

  /** Whether nothing is simulated. */
  /** The same network, with only the slow workers among the first {@code workers}. */
  public Simulation forWorkers(int workers) {
    Map<Integer, Double> kept = new java.util.TreeMap<>();
    slowWorkers.forEach((w, f) -> {
      if (w < workers) kept.put(w, f);
    });
    return new Simulation(latencyNanos, bitsPerSecond, kept);
  }

  public boolean isNone() {
    return !simulatesNetwork() && slowWorkers.isEmpty();
  }

  /** Whether messages are delayed (a latency or a bandwidth limit). */
  public boolean simulatesNetwork() {
    return latencyNanos > 0 || !Double.isInfinite(bitsPerSecond);
  }

  /** The compute slowdown F of worker {@code index}: 1 for a normal worker. */
  public double slowdown(int index) {
    return slowWorkers.getOrDefault(index, 1.0);
  }

  /** A fresh network model of this latency and bandwidth (no bookings yet). */
  public NetworkModel network() {
    return new NetworkModel(latencyNanos, bitsPerSecond / 8);
  }

  /**
   * One line for a run's header, in the flags' own units, e.g. "simulated: latency 200us,
   * bandwidth 10Gbit/s, worker 1 computes 3x slower".
   */
  public String describe() {
    if (isNone()) return "nothing simulated";
    List<String> parts = new ArrayList<>();
    if (simulatesNetwork()) {
      parts.add("latency " + latency(latencyNanos));
      parts.add("bandwidth " + (Double.isInfinite(bitsPerSecond) ? "unlimited"
          : bandwidth(bitsPerSecond) + "/s"));
    }
    slowWorkers.forEach((w, f) -> parts.add("worker " + w + " computes " + number(f) + "x slower"));
    return "simulated: " + String.join(", ", parts);
  }

  /** Nanoseconds in the largest of s, ms, us, ns that keeps the number at least 1: "200us". */
  public static String latency(long nanos) {
    String[] units = {"s", "ms", "us"};
    double[] scale = {1e9, 1e6, 1e3};
    for (int i = 0; i < units.length; i++) {
      if (nanos >= scale[i]) return number(nanos / scale[i]) + units[i];
    }
    return nanos + "ns";
  }

  /** Bits per second in the largest of Tbit, Gbit, Mbit, Kbit, bit that keeps it at least 1. */
  public static String bandwidth(double bitsPerSecond) {
    String[] units = {"Tbit", "Gbit", "Mbit", "Kbit"};
    double[] scale = {1e12, 1e9, 1e6, 1e3};
    for (int i = 0; i < units.length; i++) {
      if (bitsPerSecond >= scale[i]) return number(bitsPerSecond / scale[i]) + units[i];
    }
    return number(bitsPerSecond) + "bit";
  }

  /** At most 3 decimals, no trailing zeros: 10, 1.5, 0.125. */
  private static String number(double v) {
    return new BigDecimal(v).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
  }
}
