package org.dtrain.protocol;

import java.util.List;

/** worker -> coordinator: every assigned shard is complete and matches its checksum. */
public record ShardsLoaded(Header header, String workerId, List<Integer> shards) implements Message {
  public ShardsLoaded {
    shards = List.copyOf(shards);
  }
}
