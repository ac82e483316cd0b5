package org.dtrain.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * The simulated network: every host has one full-duplex NIC of the same bandwidth, and every
 * message takes the same one-way latency. Both the in-JVM simulation ({@code --sim-latency},
 * {@code --sim-bandwidth}) and the step predictor ({@code dtrain scale --predict}) time messages
 * with this one model, so what the predictor assumes is what the simulation does.
 *
 * <p>A message of s bytes from host A to host C, handed over at time t, with transmit time
 * x = s / B:
 * <pre>
 *   u = max(t, upFree[A])          A's uplink starts sending it
 *   upFree[A] = u + x
 *   d = max(u + L, downFree[C])    its first bit reaches C, once C's downlink is free
 *   downFree[C] = d + x
 *   delivered at d + x
 * </pre>
 * So K copies of the weights sent by one coordinator leave one after another (its uplink is the
 * star's bottleneck), and K partials sent to one host queue on its downlink. Times are nanoseconds
 * on any clock the caller uses consistently. Not thread-safe.
 */
public final class NetworkModel {
  private final long latencyNanos;
  private final double bytesPerSecond; // Double.POSITIVE_INFINITY: no bandwidth limit
  private final Map<String, Long> upFree = new HashMap<>();
  private final Map<String, Long> downFree = new HashMap<>();

  /**
   * @param latencyNanos one-way latency L, at least 0
   * @param bytesPerSecond bandwidth B of every NIC, positive; infinity for none
   */
  public NetworkModel(long latencyNanos, double bytesPerSecond) {
    if (latencyNanos < 0) throw new IllegalArgumentException("latency < 0: " + latencyNanos);
    if (!(bytesPerSecond > 0)) throw new IllegalArgumentException("bandwidth <= 0: " + bytesPerSecond);
    this.latencyNanos = latencyNanos;
    this.bytesPerSecond = bytesPerSecond;
  }

  public long latencyNanos() {
    return latencyNanos;
  }

  public double bytesPerSecond() {
    return bytesPerSecond;
  }

  /** x = s / B: how long {@code bytes} occupy a NIC, in nanoseconds (rounded up). */
  public long transmitNanos(long bytes) {
    if (Double.isInfinite(bytesPerSecond)) return 0;
    return (long) Math.ceil(bytes * 1e9 / bytesPerSecond);
  }

  /**
   * Sends one message and books both NICs.
   *
   * @return when it is delivered at {@code to}
   */
  public long send(String from, String to, long bytes, long sentAtNanos) {
    long x = transmitNanos(bytes);
    long u = Math.max(sentAtNanos, upFree.getOrDefault(from, Long.MIN_VALUE));
    upFree.put(from, u + x);
    long d = Math.max(u + latencyNanos, downFree.getOrDefault(to, Long.MIN_VALUE));
    downFree.put(to, d + x);
    return d + x;
  }

  /** Forgets every booking (a new step in the predictor). */
  public void reset() {
    upFree.clear();
    downFree.clear();
  }
}
