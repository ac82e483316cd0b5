package org.dtrain.protocol;

/** One assigned shard: its id, its row count and the SHA-256 of its x then y (little-endian f32). */
public record ShardInfo(int shard, int rows, String sha256) {}
