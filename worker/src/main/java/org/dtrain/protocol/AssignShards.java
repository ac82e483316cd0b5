package org.dtrain.protocol;

import java.util.List;

/** coordinator -> worker: host exactly these shards; their rows follow as {@link ShardChunk}s. */
public record AssignShards(Header header, List<ShardInfo> shards) implements Message {
  public AssignShards {
    shards = List.copyOf(shards);
  }
}
