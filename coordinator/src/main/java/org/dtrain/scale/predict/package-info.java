/**
 * The step predictor behind {@code dtrain scale --predict}: a discrete-event model of one
 * synchronous training step (weights out, shard compute, the reduction, the optimizer) that is
 * timed on this machine ({@link org.dtrain.scale.predict.ComputeProfile}), calibrated on one
 * measured configuration ({@link org.dtrain.scale.predict.Calibration}) and then predicts the
 * others ({@link org.dtrain.scale.predict.PredictionTable}), which
 * {@link org.dtrain.scale.predict.Validation} checks against measured runs. docs/SCALING.md
 * ("The step model") writes out every equation. Plain Java: no actors, no I/O, deterministic.
 */
package org.dtrain.scale.predict;
