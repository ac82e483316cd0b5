package org.dtrain.scale.predict;

import org.dtrain.sim.NetworkModel;

/**
 * The network a prediction assumes: the parameters of {@link NetworkModel} (one full-duplex NIC of
 * bandwidth B per host, one-way latency L), which times every message of the step model.
 *
 * @param latencyNanos one-way latency L, in nanoseconds, at least 0
 * @param bytesPerSecond bandwidth B of every NIC, in bytes per second; infinity for no limit
 */
public record NetworkSpec(long latencyNanos, double bytesPerSecond) {
  public NetworkSpec {
    if (latencyNanos < 0) {
      throw new IllegalArgumentException("expected a latency >= 0 ns, found " + latencyNanos);
    }
    if (!(bytesPerSecond > 0)) {
      throw new IllegalArgumentException("expected a bandwidth > 0 bytes/s, found " + bytesPerSecond);
    }
  }

  /** No network: zero latency and unlimited bandwidth (one JVM without a simulated network). */
  public static NetworkSpec none() {
    return new NetworkSpec(0, Double.POSITIVE_INFINITY);
  }

  /** Latency in microseconds and bandwidth in Gbit/s (10^9 bits per second). */
  public static NetworkSpec of(double latencyMicros, double gigabitsPerSecond) {
    return new NetworkSpec(Math.round(latencyMicros * 1e3), gigabitsPerSecond * 1e9 / 8);
  }

  /** A fresh model with these parameters and no bookings. */
  public NetworkModel newModel() {
    return new NetworkModel(latencyNanos, bytesPerSecond);
  }

  /** For tables: "none", or e.g. "10Gbit 200us". */
  public String label() {
    if (latencyNanos == 0 && Double.isInfinite(bytesPerSecond)) return "none";
    String bw = Double.isInfinite(bytesPerSecond) ? "inf"
        : trim(bytesPerSecond * 8 / 1e9) + "Gbit";
    return bw + " " + trim(latencyNanos / 1e3) + "us";
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
