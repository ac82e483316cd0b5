package org.dtrain.cli;

import java.util.ArrayList;
import java.util.List;
import org.dtrain.sim.Simulation;
import picocli.CommandLine.Option;

/**
 * {@code --sim-latency}, {@code --sim-bandwidth}, {@code --sim-slow-worker}: a simulated network
 * and slow machines for a cluster in this JVM ({@code train}, {@code scale}; a command adds them
 * with {@code @Mixin SimOptions sim;}). They change the time a job takes, never a bit of the
 * weights, and are not job-file keys: the model records the same job with and without them.
 */
final class SimOptions {
  @Option(names = "--sim-latency", paramLabel = "TIME", description = "Simulate a network: every coordinator-worker message takes this one-way latency (e.g. 200us; units ns, us, ms, s). Default: none.")
  String latency;
  @Option(names = "--sim-bandwidth", paramLabel = "RATE", description = "Simulate a network: every host's NIC (full duplex, shared by its messages) carries this much per second (e.g. 10Gbit, 100Mbit, 125MB/s; units bit, Kbit, Mbit, Gbit, Tbit or B/s, KB/s, MB/s, GB/s). Each message takes its size over this, after the ones before it. Default: unlimited.")
  String bandwidth;
  @Option(names = "--sim-slow-worker", paramLabel = "I:Fx", description = "Simulate a slow machine: worker I (0 to --workers - 1) computes F times as long (e.g. 1:3x; F from 1 to 1000). Repeatable.")
  List<String> slowWorkers = new ArrayList<>();

  /**
   * What these flags simulate on {@code workers} workers; {@link Simulation#NONE} without them.
   *
   * @throws IllegalArgumentException naming the flag, what was expected and what was found
   */
  Simulation simulation(int workers) {
    long latencyNanos = latency == null ? 0 : ShortDurations.parseNanos("--sim-latency", latency);
    double bits = bandwidth == null ? Double.POSITIVE_INFINITY
        : Bandwidths.parseBitsPerSecond("--sim-bandwidth", bandwidth);
    return new Simulation(latencyNanos, bits,
        SlowWorkers.parse("--sim-slow-worker", slowWorkers, workers));
  }
}
