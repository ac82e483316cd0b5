package org.dtrain.protocol;

/** worker -> coordinator: the step could not be computed for {@code shard} (-1: not shard-specific). */
public record StepFailed(Header header, String workerId, int shard, String reason)
    implements Message {}
