package org.dtrain.protocol;

import java.util.List;

/** worker -> coordinator: what the worker is doing and which shards it hosts. */
public record WorkerStatus(Header header, String workerId, String state, List<Integer> shards,
    long lastComputeNanos) implements Message {
  public WorkerStatus {
    shards = List.copyOf(shards);
  }
}
