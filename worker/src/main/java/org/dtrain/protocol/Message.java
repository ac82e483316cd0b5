package org.dtrain.protocol;

/**
 * A message between the coordinator and a worker. Immutable: arrays inside are never written after
 * the message is made. The Akka serializer binding is on this interface.
 */
public sealed interface Message permits RegisterWorker, JobSpec, AssignShards, ShardChunk,
    ShardsLoaded, StartStep, ShardGradients, StepFailed, StatusRequest, WorkerStatus, EndJob,
    LinkHello {
  Header header();

  /** The worker a worker-to-coordinator message speaks for; null for the other messages. */
  static String workerOf(Message m) {
    if (m instanceof ShardGradients g) return g.workerId();
    if (m instanceof ShardsLoaded l) return l.workerId();
    if (m instanceof StepFailed f) return f.workerId();
    if (m instanceof WorkerStatus s) return s.workerId();
    return null;
  }
}
