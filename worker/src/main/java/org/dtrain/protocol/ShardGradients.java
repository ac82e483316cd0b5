package org.dtrain.protocol;

/**
 * worker -> coordinator: one chunk of the gradient sum of one aligned subtree of the shard tree: the
 * shards [first, min(first + 2^level, S)). Every chunk repeats the subtree's statistics.
 *
 * @param samples rows the subtree's gradient is summed over
 * @param computeNanos worker time for the forward and backward passes and the local adds
 * @param receiveNanos worker time spent assembling the step's weights
 */
public record ShardGradients(Header header, String workerId, int first, int level, int samples,
    double lossSum, long correct, long computeNanos, long receiveNanos, FloatChunk gradient)
    implements Message {}
