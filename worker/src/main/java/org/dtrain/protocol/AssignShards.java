package org.dtrain.protocol;

import java.util.List;

/**
 * coordinator -> worker: host exactly these shards. With an empty {@code dataConfig} their rows
 * follow as {@link ShardChunk}s; otherwise ({@code --data-on-workers}) the worker reads the training
 * data itself from the job configuration {@code dataConfig} (HOCON, the coordinator's resolved job),
 * cuts its {@code trainRows} rows into the job's shards and checks each assigned shard's checksum.
 *
 * @param dataConfig "" when the rows are shipped
 * @param trainRows the coordinator's training row count when the worker reads the data, else 0
 */
public record AssignShards(Header header, List<ShardInfo> shards, String dataConfig, int trainRows)
    implements Message {
  public AssignShards {
    shards = List.copyOf(shards);
    dataConfig = dataConfig == null ? "" : dataConfig;
  }

  /** The rows will be shipped as {@link ShardChunk}s. */
  public AssignShards(Header header, List<ShardInfo> shards) {
    this(header, shards, "", 0);
  }

  /** Whether the worker reads the training data itself instead of receiving the rows. */
  public boolean dataOnWorkers() {
    return !dataConfig.isEmpty();
  }
}
