package org.dtrain.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --failure-timeout}: how soon a silent node counts as dead. Akka's failure detector marks it
 * unreachable after this much silence, and the Split Brain Resolver downs it after the membership
 * has been stable this long again: detection takes about twice the value.
 */
final class FailureOptions {
  @Option(names = "--failure-timeout", paramLabel = "TIME", defaultValue = "4s", description = "A node silent this long is unreachable, and downed after as long again (so a dead node is noticed in about twice this; a killed worker whose data link closes, at once). Default: ${DEFAULT-VALUE}.")
  String failureTimeout;

  /** The Akka settings for this option, over {@code more}. */
  Map<String, Object> akkaSettings(Map<String, Object> more) {
    Duration d = Durations.parse("--failure-timeout", failureTimeout);
    Map<String, Object> m = new LinkedHashMap<>(more);
    m.put("akka.cluster.failure-detector.acceptable-heartbeat-pause", d.toMillis() + "ms");
    m.put("akka.cluster.split-brain-resolver.stable-after", d.toMillis() + "ms");
    return m;
  }
}
