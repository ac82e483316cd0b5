package org.dtrain.scale.predict;

/**
 * One measured point of c(r): the median time of one shard's gradient over {@code rows} rows.
 *
 * @param rows r, the shard's rows in the step
 * @param nanos the median time, in nanoseconds
 */
public record ShardTiming(int rows, double nanos) {}
