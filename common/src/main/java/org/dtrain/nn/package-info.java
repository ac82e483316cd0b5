/**
 * The network: layer specs, activations and losses (each value with its derivative beside it), the flat
 * parameter layout, forward and backward propagation as gradient sums over rows, initialisers,
 * optimizers, learning-rate schedules and the finite-difference gradient check.
 *
 * <p>Order of use: build a {@link org.dtrain.nn.ModelSpec}, create {@link org.dtrain.nn.Parameters}
 * and {@link org.dtrain.nn.Initializer#initialize initialise} them, then per step: load rows into a
 * {@link org.dtrain.nn.Workspace}, {@link org.dtrain.nn.Network#gradientSum sum gradients}, add sums
 * from other shards, divide once by the sample count, and {@link org.dtrain.nn.Optimizer#step step}.
 */
package org.dtrain.nn;
