/**
 * A cluster in one JVM that behaves like a slower one: {@link org.dtrain.sim.NetworkModel} times
 * messages on per-host NICs with a latency, {@link org.dtrain.sim.SimLink} actors carry each
 * coordinator-worker message when the model delivers it, and {@link org.dtrain.sim.Simulation}
 * says what is simulated ({@code --sim-latency}, {@code --sim-bandwidth}, {@code --sim-slow-worker}).
 * The simulation changes the time a job takes, never its weights.
 */
package org.dtrain.sim;
