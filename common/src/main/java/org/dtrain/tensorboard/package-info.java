/**
 * TensorBoard event files, written and read without TensorFlow.
 *
 * <p>An event file ({@code events.out.tfevents.<unix seconds>.<hostname>}) is a sequence of
 * {@link org.dtrain.tensorboard.TfRecord TFRecords}; each record's data is one serialized
 * {@link org.dtrain.proto.tensorboard.Event} (proto/src/main/proto/tensorboard.proto, with
 * TensorFlow's field numbers). The first event carries the file version {@code "brain.Event:2"};
 * the others each carry a {@link org.dtrain.proto.tensorboard.Summary} of scalars
 * ({@code simple_value}), which TensorBoard's scalars dashboard plots against the step.
 * {@link org.dtrain.tensorboard.EventWriter} appends them, {@link org.dtrain.tensorboard.EventReader}
 * reads them back.
 */
package org.dtrain.tensorboard;
