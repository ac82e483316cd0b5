package org.dtrain.protocol;

/** coordinator -> worker: rows of one shard; part {@link #X} is (rows, features), {@link #Y} (rows, outputs). */
public record ShardChunk(Header header, int shard, int part, FloatChunk values) implements Message {
  public static final int X = 0;
  public static final int Y = 1;
}
