package org.dtrain.coordinator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.dtrain.Version;
import org.dtrain.data.Dataset;
import org.dtrain.data.ShardPlan;
import org.dtrain.protocol.AssignShards;
import org.dtrain.protocol.DataLinkOffer;
import org.dtrain.protocol.EndJob;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.JobSpec;
import org.dtrain.protocol.Message;
import org.dtrain.protocol.Protocol;
import org.dtrain.protocol.RegisterWorker;
import org.dtrain.protocol.ShardChunk;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.ShardInfo;
import org.dtrain.protocol.ShardsLoaded;
import org.dtrain.protocol.StartStep;
import org.dtrain.protocol.StepFailed;
import org.dtrain.protocol.WorkerStatus;
import org.dtrain.worker.ShardData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of a job, without Akka: registers workers, assigns and ships shards, starts
 * every step with the weights, collects the partials in the shard tree and hands the sum to the
 * training loop. Takes messages, returns what to send to whom. Messages of another protocol version,
 * another job or another step, and duplicates, are dropped with a log line. Not thread-safe: one actor
 * owns it.
 *
 * <p>Headers carry the global step number t + 1 (0 before training starts).
 */
public final class ClusterJob {
  private static final Logger log = LoggerFactory.getLogger(ClusterJob.class);

  /** A message for one worker. */
  public record Send(String workerId, Message message) {}

  private enum State { WAITING, LOADING, RUNNING, FINISHED }

  private final String jobId;
  private final TrainingLoop loop;
  private final Dataset train;
  private final ShardPlan plan;
  private final int expectedWorkers;
  private final String dataConfig; // null: ship the rows; else workers read the data with it
  private final Function<String, DataLinkOffer> links; // null: no data links
  private final List<String> workers = new ArrayList<>();
  private Map<String, List<Integer>> assignment = Map.of();
  private final Set<String> loaded = new TreeSet<>();
  private final Map<String, WorkerStatus> statuses = new LinkedHashMap<>();
  private final StepCollector collector;
  private State state = State.WAITING;
  private TrainingLoop.Step step;
  private long stepStarted;
  private long broadcastNanos;
  private long reduceNanos;

  public ClusterJob(String jobId, TrainingLoop loop, Dataset train, ShardPlan plan,
      int expectedWorkers) {
    this(jobId, loop, train, plan, expectedWorkers, null);
  }

  /**
   * @param dataConfig null to ship every worker its shards' rows; otherwise the job configuration
   *     (HOCON) with which each worker reads the training data itself ({@code --data-on-workers}),
   *     checking its shards against the checksums sent here
   */
  public ClusterJob(String jobId, TrainingLoop loop, Dataset train, ShardPlan plan,
      int expectedWorkers, String dataConfig) {
    this(jobId, loop, train, plan, expectedWorkers, dataConfig, null);
  }

  /**
   * @param links a data link offer for a worker (its job spec carries it), or null to send
   *     everything over Akka
   */
  public ClusterJob(String jobId, TrainingLoop loop, Dataset train, ShardPlan plan,
      int expectedWorkers, String dataConfig, Function<String, DataLinkOffer> links) {
    if (plan.shards() < expectedWorkers) {
      throw new IllegalArgumentException("--shards " + plan.shards() + " is fewer than --workers "
          + expectedWorkers + ": every worker needs at least one shard");
    }
    this.jobId = jobId;
    this.loop = loop;
    this.train = train;
    this.plan = plan;
    this.expectedWorkers = expectedWorkers;
    this.dataConfig = dataConfig == null || dataConfig.isEmpty() ? null : dataConfig;
    this.links = links;
    this.collector = new StepCollector(loop.plan().spec(), plan.shards());
  }

  public String jobId() {
    return jobId;
  }

  public List<String> workers() {
    return List.copyOf(workers);
  }

  public Map<String, List<Integer>> assignment() {
    return assignment;
  }

  public boolean isFinished() {
    return state == State.FINISHED;
  }

  public TrainingLoop.Result result() {
    return loop.result();
  }

  /**
   * Handles one worker message.
   *
   * @throws JobFailedException when a worker reports a failure or sends a partial that cannot be
   *     used; {@link DivergedException} when the training loop finds the loss diverged
   */
  public List<Send> handle(Message m) {
    Header h = m.header();
    if (m instanceof RegisterWorker r) return onRegister(r);
    if (h.protocol() != Protocol.VERSION) {
      log.warn("dropped {} of protocol version {} (this coordinator speaks {})",
          m.getClass().getSimpleName(), h.protocol(), Protocol.VERSION);
      return List.of();
    }
    if (!jobId.equals(h.jobId())) {
      log.warn("dropped {} of job {} (this job is {})", m.getClass().getSimpleName(), h.jobId(),
          jobId);
      return List.of();
    }
    if (m instanceof ShardGradients g) return onGradients(g);
    if (m instanceof ShardsLoaded l) return onLoaded(l);
    if (m instanceof StepFailed f) {
      throw new JobFailedException("worker " + f.workerId()
          + (state == State.LOADING ? " failed loading its shards" : " failed at step " + h.step())
          + (f.shard() >= 0 ? " on shard " + f.shard() : "") + ": " + f.reason());
    }
    if (m instanceof WorkerStatus s) {
      statuses.put(s.workerId(), s);
      return List.of();
    }
    log.warn("dropped unexpected {} from a worker", m.getClass().getSimpleName());
    return List.of();
  }

  private List<Send> onRegister(RegisterWorker r) {
    if (state != State.WAITING) {
      log.warn("worker {} registered after the job started; it is not used", r.workerId());
      return List.of();
    }
    if (workers.contains(r.workerId())) {
      log.warn("dropped a second registration of worker {}", r.workerId());
      return List.of();
    }
    String refusal = null;
    if (r.header().protocol() != Protocol.VERSION) {
      refusal = "refused worker " + r.workerId() + ": it speaks protocol version "
          + r.header().protocol() + ", this coordinator " + Protocol.VERSION
          + " (run the same dtrain version everywhere)";
    } else if (!Version.DTRAIN.equals(r.dtrainVersion())) {
      refusal = "refused worker " + r.workerId() + ": it runs dtrain " + r.dtrainVersion()
          + ", this coordinator dtrain " + Version.DTRAIN
          + " (versions may compute different bits; run the same version everywhere)";
    }
    if (refusal != null) {
      log.error(refusal);
      return List.of(new Send(r.workerId(), new EndJob(Header.of("", 0), refusal)));
    }
    workers.add(r.workerId());
    log.info("worker {} registered ({} of {})", r.workerId(), workers.size(), expectedWorkers);
    return workers.size() == expectedWorkers ? shipShards() : List.of();
  }

  /** Why the job cannot start yet: who joined, who is missing. */
  public String waitingFor() {
    return "waited for " + expectedWorkers + " workers; " + workers.size() + " joined"
        + (workers.isEmpty() ? "" : ": " + String.join(", ", workers));
  }

  /** Whether all workers have registered. */
  public boolean isStarted() {
    return state != State.WAITING;
  }

  /** Whether the worker was taken into the job. */
  public boolean isRegistered(String workerId) {
    return workers.contains(workerId);
  }

  private List<Send> shipShards() {
    state = State.LOADING;
    assignment = ShardAssignment.evenly(plan.shards(), workers);
    Header h = Header.of(jobId, 0);
    JobSpec spec = new JobSpec(h, loop.plan().spec(), loop.plan().seed(), plan.shards(),
        loop.plan().stepsPerEpoch(), loop.plan().fullBatch(), train.features(), train.outputs());
    List<Send> out = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : assignment.entrySet()) {
      String w = e.getKey();
      out.add(new Send(w, links == null ? spec : spec.withLink(links.apply(w))));
      List<ShardData> shards = new ArrayList<>();
      List<ShardInfo> infos = new ArrayList<>();
      for (int s : e.getValue()) {
        ShardData d = ShardData.slice(s, train.x(), train.y(), train.features(), train.outputs(),
            plan.start(s), plan.size(s));
        shards.add(d);
        infos.add(new ShardInfo(s, d.rows(), d.sha256()));
      }
      if (dataConfig != null) { // the worker reads its rows itself and checks them
        out.add(new Send(w, new AssignShards(h, infos, dataConfig, train.rows())));
        continue;
      }
      out.add(new Send(w, new AssignShards(h, infos)));
      for (ShardData d : shards) { // whole; the transport cuts them (Chunking)
        out.add(new Send(w, new ShardChunk(h, d.shard(), ShardChunk.X, FloatChunk.whole(d.x()))));
        out.add(new Send(w, new ShardChunk(h, d.shard(), ShardChunk.Y, FloatChunk.whole(d.y()))));
      }
    }
    return out;
  }

  private List<Send> onLoaded(ShardsLoaded l) {
    if (state != State.LOADING) {
      log.warn("dropped a late shards-loaded from worker {}", l.workerId());
      return List.of();
    }
    List<Integer> expected = assignment.get(l.workerId());
    if (expected == null || !expected.equals(l.shards())) {
      throw new JobFailedException("worker " + l.workerId() + " loaded shards " + l.shards()
          + ", it was assigned " + expected);
    }
    loaded.add(l.workerId());
    if (loaded.size() < workers.size()) return List.of();
    log.info("all {} workers hold their shards; training starts", workers.size());
    if (!loop.hasNext()) { // --steps 0
      state = State.FINISHED;
      return endJob("finished");
    }
    state = State.RUNNING;
    return startStep();
  }

  private List<Send> startStep() {
    step = loop.next();
    stepStarted = System.nanoTime();
    reduceNanos = 0;
    collector.reset();
    // a new array, never written again; every worker gets the same one
    FloatChunk weights = FloatChunk.copyOf(loop.weights().values(), loop.weights().count());
    Header h = Header.of(jobId, step.t() + 1);
    List<Send> out = new ArrayList<>(workers.size());
    for (String w : workers) {
      out.add(new Send(w, new StartStep(h, step.epoch(), step.stepInEpoch(), assignment.get(w),
          weights)));
    }
    broadcastNanos = System.nanoTime() - stepStarted;
    return out;
  }

  private List<Send> onGradients(ShardGradients g) {
    long t0 = System.nanoTime();
    long current = step == null ? 0 : step.t() + 1;
    if (state != State.RUNNING || g.header().step() != current) {
      log.warn("dropped a partial of step {} from worker {} (current step: {})",
          g.header().step(), g.workerId(), current);
      return List.of();
    }
    StepCollector.Outcome o = collector.accept(g);
    if (o == StepCollector.Outcome.DUPLICATE) {
      log.warn("dropped a duplicate partial for shards from {} (level {}) of step {} from worker {}",
          g.first(), g.level(), current, g.workerId());
      return List.of();
    }
    if (o == StepCollector.Outcome.REJECTED) {
      throw new JobFailedException("step " + current + ": " + collector.lastProblem());
    }
    reduceNanos += System.nanoTime() - t0;
    if (!collector.isComplete()) return List.of();

    long wall = System.nanoTime() - stepStarted;
    StepTimes times = new StepTimes(collector.maxComputeNanos(), reduceNanos,
        broadcastNanos + collector.maxReceiveNanos(),
        wall <= 0 ? 1.0 : Math.min(1.0, collector.meanComputeNanos() / wall));
    loop.apply(collector.stats(), collector.sum(), times);
    if (loop.hasNext()) return startStep();
    state = State.FINISHED;
    return endJob("finished");
  }

  /** EndJob to every registered worker. */
  public List<Send> endJob(String reason) {
    List<Send> out = new ArrayList<>();
    for (String w : workers) out.add(new Send(w, new EndJob(Header.of(jobId, 0), reason)));
    return out;
  }
}
