package org.dtrain.protocol;

/**
 * A message between the coordinator and a worker. Immutable: arrays inside are never written after
 * the message is made. The Akka serializer binding is on this interface.
 */
public sealed interface Message permits RegisterWorker, JobSpec, AssignShards, ShardChunk,
    ShardsLoaded, StartStep, ShardGradients, StepFailed, StatusRequest, WorkerStatus, EndJob,
    LinkHello {
  Header header();
}
