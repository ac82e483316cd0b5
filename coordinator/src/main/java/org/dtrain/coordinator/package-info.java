/**
 * The coordinator side: the one training loop (reduce shard gradient sums in a fixed tree, divide
 * once, apply the optimizer, record metrics), job configuration, and where gradients come from.
 */
package org.dtrain.coordinator;
