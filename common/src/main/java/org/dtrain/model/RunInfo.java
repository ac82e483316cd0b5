package org.dtrain.model;

/**
 * Provenance carried by every model and checkpoint: what it takes to reproduce it.
 *
 * @param config the full resolved job configuration (HOCON)
 * @param datasetSha256 hash of the training rows and targets as trained on
 * @param createdUnixMs the only field that differs between two identical runs
 * @param steps optimizer updates applied
 * @param shards shard count the gradient sums were reduced over
 */
public record RunInfo(long seed, String config, String datasetSha256, String version,
    long createdUnixMs, long steps, int shards) {}
