package org.dtrain.coordinator;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
import org.dtrain.protocol.ReductionTarget;
import org.dtrain.protocol.RegisterWorker;
import org.dtrain.protocol.ShardChunk;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.protocol.ShardInfo;
import org.dtrain.protocol.ShardsLoaded;
import org.dtrain.protocol.StartStep;
import org.dtrain.protocol.StepFailed;
import org.dtrain.protocol.WorkerStatus;
import org.dtrain.worker.BufferExchange;
import org.dtrain.worker.ShardData;
import org.dtrain.worker.ShardTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of a job, without Akka: registers workers, assigns and ships shards, starts
 * every step with the weights, collects the partials in the shard tree and hands the sum to the
 * training loop. Takes messages, returns what to send to whom. Messages of another protocol version,
 * another job or another step, and duplicates, are dropped with a log line. Not thread-safe: one actor
 * owns it.
 *
 * <p>Workers may come and go. A worker lost mid-step ({@link #workerLost}) hands its shards to the
 * others at once, and the partials it owed for the step are computed again by their new hosts; a
 * worker that registers mid-job takes shards from the next step boundary. Either way the tree adds
 * the same partials of the same shards, so the weights keep every bit. With fewer than
 * {@code minWorkers} alive the job pauses ({@link #isPaused}) until enough register.
 *
 * <p>Headers carry the global step number t + 1 (0 before training starts).
 *
 * <p><b>Tree reduction</b> ({@link Reduction#isTree()}). Each step's StartStep gives every worker its
 * place in a {@link ReductionTree} over the live workers in order ({@link ReductionTarget}: the
 * parent, by id, whose address the actor fills in; the children; the shards their subtrees compute).
 * Only the root's partials are taken; they hold every shard, so the coordinator's tree completes at
 * once. The failure policy is simple and keeps every bit: when the worker set changes during a tree
 * step (a worker is lost or dropped) or the step times out, the step <em>falls back to star</em>
 * ({@link #fallBackToStar}): the partials received so far are forgotten, every live worker is sent a
 * star StartStep (no weights, it has them) for the shards it owes, drops its tree state for the step
 * and sends its partials straight here, and the lost worker's shards are computed again on their new
 * hosts as in star. From then on a worker's partial counts only if it covers shards that worker was
 * asked for, so a late partial of the abandoned tree (which holds other workers' shards) is dropped;
 * the star partials of one step are disjoint, so nothing is counted twice and no shard is left out.
 * The next step builds the tree again over the workers then alive. A step timeout of a tree step
 * only falls back; the next {@code --step-timeout} of the same step ({@link #stepRound}) moves the late
 * workers' shards as in star.
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
  private final int minWorkers;
  private final String dataConfig; // null: ship the rows; else workers read the data with it
  private final Function<String, DataLinkOffer> links; // null: no data links
  private final List<String> workers = new ArrayList<>();           // in the job and alive
  private final Set<String> joining = new LinkedHashSet<>();        // take shards at the next boundary
  private Map<String, List<Integer>> assignment = new LinkedHashMap<>();
  private final Set<String> loading = new TreeSet<>();              // assigned, not loaded yet
  private final Map<String, Set<Integer>> owed = new HashMap<>();   // shards to compute this step
  private final Map<String, Set<Integer>> afterLoad = new HashMap<>(); // to compute once loaded
  private final Set<String> haveWeights = new HashSet<>();          // have this step's weights
  private final Set<Integer> orphans = new TreeSet<>();             // owed by nobody (paused)
  private final Map<String, WorkerStatus> statuses = new LinkedHashMap<>();
  private final Map<Integer, ShardInfo> shardInfos = new HashMap<>(); // rows and checksum, once
  private final Map<String, Double> lastComputeMs = new HashMap<>(); // of the last applied step
  private final StepCollector collector;
  private final Reduction reduction;
  private ReductionTree stepTree; // the tree of the step in progress; null: star, or fell back
  private ReductionTree lastTree; // the tree last built: reused while the workers stay the same
  private boolean fellBack;       // the step in progress was a tree step and fell back to star
  private int stepRound;          // 0, then 1 once the step in progress fell back
  private State state = State.WAITING;
  private boolean paused;
  private int pauses;
  private boolean inStep;        // a step was started and is not applied yet
  private TrainingLoop.Step step;
  private FloatChunk stepWeights;
  private boolean liveWeights; // stepWeights is a view of the weights themselves (weightsLiveIn)
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
    this(jobId, loop, train, plan, expectedWorkers, 1, dataConfig, links);
  }

  /** @param minWorkers below this many live workers the job pauses and waits for more */
  public ClusterJob(String jobId, TrainingLoop loop, Dataset train, ShardPlan plan,
      int expectedWorkers, int minWorkers, String dataConfig,
      Function<String, DataLinkOffer> links) {
    this(jobId, loop, train, plan, expectedWorkers, minWorkers, dataConfig, links,
        Reduction.star());
  }

  /** @param reduction how the partials reach the coordinator: star, or through a tree of workers */
  public ClusterJob(String jobId, TrainingLoop loop, Dataset train, ShardPlan plan,
      int expectedWorkers, int minWorkers, String dataConfig,
      Function<String, DataLinkOffer> links, Reduction reduction) {
    if (plan.shards() < expectedWorkers) {
      throw new IllegalArgumentException("--shards " + plan.shards() + " is fewer than --workers "
          + expectedWorkers + ": every worker needs at least one shard");
    }
    if (minWorkers < 1 || minWorkers > expectedWorkers) {
      throw new IllegalArgumentException("--min-workers: expected 1 to --workers ("
          + expectedWorkers + "), found " + minWorkers);
    }
    this.jobId = jobId;
    this.loop = loop;
    loop.keepSnapshots(true);
    this.train = train;
    this.plan = plan;
    this.expectedWorkers = expectedWorkers;
    this.minWorkers = minWorkers;
    this.dataConfig = dataConfig == null || dataConfig.isEmpty() ? null : dataConfig;
    this.links = links;
    this.reduction = reduction;
    this.collector = new StepCollector(loop.plan().spec(), plan.shards());
  }

  /**
   * Where the gradient partials' buffers can be taken over instead of copied: the sending worker's
   * data link (see {@link org.dtrain.worker.PartialAssembly#buffersFrom}).
   */
  public void buffersFrom(Function<String, BufferExchange> bySender) {
    collector.buffersFrom(bySender);
  }

  public Reduction reduction() {
    return reduction;
  }

  /**
   * From now on the weights live in {@code memory} ({@link TrainingLoop#weightsIn}), and a step's
   * StartSteps carry a view of them instead of a copy made by the update: the next update writes
   * the very values sent. That keeps every bit because the update comes only once every partial of
   * the step is in, and a partial is accepted only from a worker that had read all its weights
   * before it computed; a frame still being written then (to a worker lost or late) carries a step
   * whose partials from it are no longer taken. Whoever keeps a message instead of writing it at
   * once (Akka) must send a copy. Any time between two messages of the actor.
   *
   * @param memory at least the parameter count of floats, nothing else writes it
   */
  public void weightsLiveIn(FloatBuffer memory) {
    loop.weightsIn(memory);
    loop.keepSnapshots(false);
    liveWeights = true;
  }

  /** Whether {@link #weightsLiveIn} moved the weights already. */
  public boolean weightsLive() {
    return liveWeights;
  }

  /** The model's parameter count (the length of every step's weights and gradients). */
  public int parameterCount() {
    return loop.weights().count();
  }

  public String jobId() {
    return jobId;
  }

  /** The live workers in the job. */
  public List<String> workers() {
    return List.copyOf(workers);
  }

  public Map<String, List<Integer>> assignment() {
    return assignment;
  }

  public boolean isFinished() {
    return state == State.FINISHED;
  }

  /** Whether the job waits for workers: fewer than --min-workers are alive. */
  public boolean isPaused() {
    return paused;
  }

  /** How often the job has paused so far (tells one pause from the next). */
  public int pauses() {
    return pauses;
  }

  public TrainingLoop.Result result() {
    return loop.result();
  }

  /** The job's state as the status API shows it (the actor reports failures). */
  public JobStatus.State status() {
    if (state == State.FINISHED) return JobStatus.State.FINISHED;
    if (paused) return JobStatus.State.PAUSED;
    return state == State.WAITING ? JobStatus.State.WAITING : JobStatus.State.RUNNING;
  }

  /** What the status says beside its state: who is awaited, or what the job does. */
  public String statusMessage() {
    if (paused) return "waiting for workers: " + pausedFor();
    return switch (state) {
      case WAITING -> "waiting for workers: " + workers.size() + " of " + expectedWorkers
          + " registered";
      case LOADING -> "loading shards on " + loading.size() + " workers";
      case RUNNING -> loading.isEmpty() ? "training" : "moving shards to " + loading;
      case FINISHED -> "finished";
    };
  }

  /**
   * The workers for the status API: those in the job, then those joining.
   *
   * @param address where a worker runs
   */
  public List<JobStatus.WorkerView> workerViews(Function<String, String> address) {
    List<JobStatus.WorkerView> out = new ArrayList<>(workers.size() + joining.size());
    for (String w : workers) {
      out.add(new JobStatus.WorkerView(w, address.apply(w),
          List.copyOf(assignment.getOrDefault(w, List.of())),
          lastComputeMs.getOrDefault(w, Double.NaN),
          loading.contains(w) ? "loading" : "training"));
    }
    for (String w : joining) {
      out.add(new JobStatus.WorkerView(w, address.apply(w), List.of(), Double.NaN, "joining"));
    }
    return out;
  }

  /**
   * Handles one worker message.
   *
   * @throws JobFailedException when a worker reports a failure; {@link DivergedException} when the
   *     training loop finds the loss diverged
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
    String from = Message.workerOf(m);
    if (m instanceof StepFailed f && joining.contains(from)) {
      log.error("worker {} is not used: {}", from, f.reason());
      joining.remove(from);
      return List.of(new Send(from, new EndJob(Header.of(jobId, 0), "not used: " + f.reason())));
    }
    if (from != null && !workers.contains(from)) {
      log.warn("dropped {} from {}, which is not in the job", m.getClass().getSimpleName(), from);
      return List.of();
    }
    if (m instanceof ShardGradients g) return onGradients(g);
    if (m instanceof ShardsLoaded l) return onLoaded(l);
    if (m instanceof StepFailed f) {
      throw new JobFailedException("worker " + f.workerId()
          + (state == State.LOADING || loading.contains(f.workerId())
              ? " failed loading its shards" : " failed at step " + h.step())
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
    if (state == State.FINISHED) {
      log.warn("worker {} registered after the job ended; it is not used", r.workerId());
      return List.of();
    }
    if (workers.contains(r.workerId()) || joining.contains(r.workerId())) {
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
    if (state == State.WAITING) {
      workers.add(r.workerId());
      log.info("worker {} registered ({} of {})", r.workerId(), workers.size(), expectedWorkers);
      return workers.size() == expectedWorkers ? shipShards() : List.of();
    }
    if (workers.size() + joining.size() >= plan.shards()) {
      String why = "worker " + r.workerId() + " is not used: each of the " + plan.shards()
          + " shards already has a worker";
      log.warn(why);
      return List.of(new Send(r.workerId(), new EndJob(Header.of("", 0), why)));
    }
    joining.add(r.workerId());
    List<Send> out = new ArrayList<>();
    out.add(new Send(r.workerId(), jobSpec(r.workerId())));
    if (paused) {
      log.info("worker {} registered while the job waits for workers", r.workerId());
      out.addAll(admitJoiners());
    } else {
      log.info("worker {} joined the running job; it takes shards at the next step",
          r.workerId());
    }
    return out;
  }

  /** Why the job cannot start yet: who joined, who is missing. */
  public String waitingFor() {
    return "waited for " + expectedWorkers + " workers; " + workers.size() + " joined"
        + (workers.isEmpty() ? "" : ": " + String.join(", ", workers));
  }

  /** Why the job is paused: who is left. */
  public String pausedFor() {
    return "fewer than --min-workers " + minWorkers + " workers alive (" + workers.size()
        + (workers.isEmpty() ? "" : ": " + String.join(", ", workers)) + ")"
        + (step == null ? "" : " at step " + (step.t() + 1));
  }

  /** Whether all workers have registered. */
  public boolean isStarted() {
    return state != State.WAITING;
  }

  /** Whether the worker was taken into the job (or will be at the next step). */
  public boolean isRegistered(String workerId) {
    return workers.contains(workerId) || joining.contains(workerId);
  }

  private JobSpec jobSpec(String worker) {
    JobSpec spec = new JobSpec(Header.of(jobId, 0), loop.plan().spec(), loop.plan().seed(),
        plan.shards(), loop.plan().stepsPerEpoch(), loop.plan().fullBatch(), train.features(),
        train.outputs());
    return links == null ? spec : spec.withLink(links.apply(worker));
  }

  private List<Send> shipShards() {
    state = State.LOADING;
    Map<String, List<Integer>> first = ShardAssignment.evenly(plan.shards(), workers);
    List<Send> out = new ArrayList<>();
    for (String w : workers) out.add(new Send(w, jobSpec(w)));
    out.addAll(reassign(first));
    return out;
  }

  /**
   * Makes {@code next} the assignment: every worker whose shards change gets an AssignShards with
   * its whole new set, and the rows of the shards it did not hold (unless it reads them itself).
   */
  private List<Send> reassign(Map<String, List<Integer>> next) {
    return reassign(next, Set.of());
  }

  /** @param silent workers that only give shards up and are not told yet (they still compute) */
  private List<Send> reassign(Map<String, List<Integer>> next, Set<String> silent) {
    Header h = Header.of(jobId, 0);
    List<Send> out = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : next.entrySet()) {
      String w = e.getKey();
      List<Integer> before = assignment.getOrDefault(w, List.of());
      if (before.equals(e.getValue()) || silent.contains(w)) continue;
      List<ShardData> fresh = new ArrayList<>();
      List<ShardInfo> infos = new ArrayList<>();
      for (int s : e.getValue()) {
        ShardData d = before.contains(s) ? null : shardData(s);
        if (d != null) fresh.add(d);
        infos.add(shardInfos.computeIfAbsent(s, k -> shardInfo(d != null ? d : shardData(k))));
      }
      loading.add(w);
      if (dataConfig != null) { // the worker reads its rows itself and checks them
        out.add(new Send(w, new AssignShards(h, infos, dataConfig, train.rows())));
        continue;
      }
      out.add(new Send(w, new AssignShards(h, infos)));
      for (ShardData d : fresh) { // whole; the transport cuts them (Chunking)
        out.add(new Send(w, new ShardChunk(h, d.shard(), ShardChunk.X, FloatChunk.whole(d.x()))));
        out.add(new Send(w, new ShardChunk(h, d.shard(), ShardChunk.Y, FloatChunk.whole(d.y()))));
      }
    }
    assignment = new LinkedHashMap<>(next);
    return out;
  }

  /** A shard's rows, cut from the training set (a copy: only for shards about to be shipped). */
  private ShardData shardData(int s) {
    return ShardData.slice(s, train.x(), train.y(), train.features(), train.outputs(),
        plan.start(s), plan.size(s));
  }

  private static ShardInfo shardInfo(ShardData d) {
    return new ShardInfo(d.shard(), d.rows(), d.sha256());
  }

  private List<Send> onLoaded(ShardsLoaded l) {
    String w = l.workerId();
    if (!loading.contains(w) || !l.shards().equals(assignment.get(w))) {
      log.warn("dropped a shards-loaded {} from worker {}: it is assigned {}", l.shards(), w,
          assignment.get(w));
      return List.of();
    }
    loading.remove(w);
    List<Send> out = new ArrayList<>();
    Set<Integer> again = afterLoad.remove(w);
    if (again != null && inStep) again.removeIf(s -> collector.covers(s, null)); // came meanwhile
    if (again != null && !again.isEmpty()) out.add(recompute(w, again));
    if (!loading.isEmpty() || paused) return out;
    if (state == State.LOADING) {
      log.info("all {} workers hold their shards; training starts", workers.size());
      if (!loop.hasNext()) { // --steps 0
        state = State.FINISHED;
        return endJob("finished");
      }
      state = State.RUNNING;
    }
    if (!inStep) out.addAll(startStep());
    else if (collector.isComplete()) out.addAll(finishStep());
    return out;
  }

  private List<Send> startStep() {
    step = loop.next();
    inStep = true;
    stepStarted = System.nanoTime();
    reduceNanos = 0;
    collector.reset();
    owed.clear();
    haveWeights.clear();
    if (reduction.isTree() && (lastTree == null || !lastTree.order().equals(workers))) {
      lastTree = ReductionTree.of(workers, reduction.fanIn());
    }
    stepTree = reduction.isTree() ? lastTree : null;
    fellBack = false;
    stepRound = 0;
    // every worker gets the same values: the weights themselves once they live in the links'
    // memory (weightsLiveIn), else a new array never written again (made by the update when it
    // can be, in the same pass)
    float[] snapshot = loop.takeSnapshot();
    int n = loop.weights().count();
    stepWeights = liveWeights ? new FloatChunk(loop.weights().values(), 0, n, 0, n) // weightsLiveIn
        : snapshot != null ? FloatChunk.whole(snapshot)
        : FloatChunk.copyOf(loop.weights().values(), n);
    Header h = Header.of(jobId, step.t() + 1);
    List<Send> out = new ArrayList<>(workers.size());
    for (String w : slowestFirst()) {
      out.add(new Send(w, new StartStep(h, step.epoch(), step.stepInEpoch(), assignment.get(w),
          stepWeights, stepTree == null ? null : target(w))));
      owed.put(w, new TreeSet<>(assignment.get(w)));
      haveWeights.add(w);
    }
    broadcastNanos = System.nanoTime() - stepStarted;
    return out;
  }

  /**
   * The workers, the one that computed longest in the last step first (ties in joining order): the
   * weights go out one link after another, and a step ends with its slowest worker, so it gets its
   * weights first. The order changes no bit.
   */
  private List<String> slowestFirst() {
    return slowestFirst(workers, lastComputeMs);
  }

  /** {@code workers} by their compute time in {@code ms}, longest first (unknown: 0), stable. */
  static List<String> slowestFirst(Collection<String> workers, Map<String, Double> ms) {
    List<String> order = new ArrayList<>(workers);
    order.sort(Comparator.comparingDouble(w -> -ms.getOrDefault(w, 0.0)));
    return order;
  }

  /**
   * Worker {@code w}'s place in this step's tree: its parent (by id; the actor fills in the address)
   * and children, and the shards its children's subtrees compute.
   */
  private ReductionTarget target(String w) {
    String parent = stepTree.parent(w);
    List<Integer> awaited = new ArrayList<>();
    for (String d : stepTree.descendants(w)) awaited.addAll(assignment.get(d));
    awaited.sort(null);
    return new ReductionTarget(parent == null ? "" : parent, "", stepTree.children(w), awaited);
  }

  /**
   * The tree step in progress becomes a star step: the partials so far are forgotten (before the
   * fallback only the root sends here, the whole tree at once, so nothing complete is lost), and
   * every live worker is asked in star for the shards it owes (none: it only drops its tree state).
   * See the class comment for why this keeps every bit.
   */
  private List<Send> fallBackToStar(String why) {
    log.warn("step {}: {}; the step falls back to star reduction (every worker sends its partials "
        + "to the coordinator), the next step builds the workers' tree again", step.t() + 1, why);
    stepTree = null;
    fellBack = true;
    stepRound++;
    collector.reset();
    reduceNanos = 0;
    List<Send> out = new ArrayList<>();
    Header h = Header.of(jobId, step.t() + 1);
    FloatChunk none = new FloatChunk(new float[0], 0, 0, 0, stepWeights.total());
    for (String w : workers) {
      if (!haveWeights.contains(w)) continue; // took no part in the tree
      List<Integer> shards = List.copyOf(owed.getOrDefault(w, Set.of()));
      out.add(new Send(w, new StartStep(h, step.epoch(), step.stepInEpoch(), shards, none)));
    }
    return out;
  }

  /**
   * How often the step in progress was restarted in another form: 0, or 1 once a tree step fell back
   * to star. A step timeout scheduled in an earlier round is stale.
   */
  public int stepRound() {
    return stepRound;
  }

  /** Whether worker {@code w} was asked this step for every shard of node (first, level). */
  private boolean owes(String w, int first, int level) {
    Set<Integer> mine = owed.getOrDefault(w, Set.of());
    long end = Math.min((long) first + (1L << Math.min(level, 62)), plan.shards());
    for (long s = first; s < end; s++) if (!mine.contains((int) s)) return false;
    return true;
  }

  /** The current step's shards again, on another worker: without the weights if it has them. */
  private Send recompute(String w, Set<Integer> shards) {
    FloatChunk weights = haveWeights.contains(w) ? new FloatChunk(new float[0], 0, 0, 0,
        stepWeights.total()) : stepWeights;
    haveWeights.add(w);
    owed.computeIfAbsent(w, k -> new TreeSet<>()).addAll(shards);
    log.info("worker {} computes shards {} of step {} again", w, shards, step.t() + 1);
    return new Send(w, new StartStep(Header.of(jobId, step.t() + 1), step.epoch(),
        step.stepInEpoch(), List.copyOf(shards), weights));
  }

  private List<Send> onGradients(ShardGradients g) {
    long t0 = System.nanoTime();
    long current = step == null ? 0 : step.t() + 1;
    if (!inStep || g.header().step() != current) {
      log.warn("dropped a partial of step {} from worker {} (current step: {})",
          g.header().step(), g.workerId(), current);
      return List.of();
    }
    if (!Double.isFinite(g.lossSum())) throw diverged(g, current, "loss (" + g.lossSum() + ")");
    if (stepTree != null && !g.workerId().equals(stepTree.root())) {
      log.warn("dropped a partial of step {} from worker {}: in this tree step only the root {} "
          + "sends to the coordinator", current, g.workerId(), stepTree.root());
      return List.of();
    }
    if (fellBack && !owes(g.workerId(), g.first(), g.level())) {
      log.info("dropped a partial (first {}, level {}) of step {} from worker {}: a late partial "
          + "of the step's abandoned reduction tree", g.first(), g.level(), current, g.workerId());
      return List.of();
    }
    StepCollector.Outcome o = collector.accept(g); // checks the values for NaN as it takes them in
    if (o == StepCollector.Outcome.NON_FINITE) throw diverged(g, current, "gradient");
    if (o == StepCollector.Outcome.DUPLICATE) {
      log.warn("dropped a duplicate partial for shards from {} (level {}) of step {} from worker {}",
          g.first(), g.level(), current, g.workerId());
      return List.of();
    }
    if (o == StepCollector.Outcome.REJECTED) {
      String why = "step " + current + ": " + collector.lastProblem();
      log.error("worker {} is dropped from the job: {}", g.workerId(), why);
      List<Send> out = new ArrayList<>();
      out.add(new Send(g.workerId(), new EndJob(Header.of(jobId, 0),
          "dropped from the job: " + why)));
      out.addAll(workerLost(g.workerId(), "it sent a partial that does not fit"));
      return out;
    }
    reduceNanos += System.nanoTime() - t0;
    if (!collector.isComplete()) loop.report(); // the last step's metrics, while others compute
    if (!collector.isComplete() || !loading.isEmpty() || paused) return List.of();
    return finishStep();
  }

  private DivergedException diverged(ShardGradients g, long current, String what) {
    int end = (int) Math.min((long) g.first() + (1L << g.level()), plan.shards());
    return new DivergedException("training diverged at step " + current + ": the partial of "
        + (end - g.first() == 1 ? "shard " + g.first() : "shards " + g.first() + " to " + (end - 1))
        + " from worker " + g.workerId() + " holds a NaN or infinite " + what
        + "; the step was not applied and no model was saved (try a smaller --lr)");
  }

  /** Every partial of the step is in: apply it, then start the next step (or end the job). */
  private List<Send> finishStep() {
    long wall = System.nanoTime() - stepStarted;
    StepTimes times = new StepTimes(collector.maxComputeNanos(), reduceNanos,
        broadcastNanos + collector.maxReceiveNanos(),
        wall <= 0 ? 1.0 : Math.min(1.0, collector.meanComputeNanos() / wall));
    inStep = false;
    collector.computeByWorker().forEach((w, nanos) -> lastComputeMs.put(w, nanos / 1e6));
    loop.report(); // the step before, unless a partial of this one came first
    ShardTree.Halves sum = collector.sumHalves(); // added in the optimizer's pass
    loop.apply(collector.stats(), sum.left(), sum.right(), times);
    if (!loop.hasNext()) {
      state = State.FINISHED;
      return endJob("finished");
    }
    if (!joining.isEmpty()) {
      List<Send> out = admitJoiners();
      if (loading.isEmpty()) out.addAll(startStep());
      return out;
    }
    return startStep();
  }

  /** The global number of the step in progress (as in headers), or 0 between steps. */
  public long stepInProgress() {
    return inStep ? step.t() + 1 : 0;
  }

  /**
   * {@code --step-timeout} passed for step {@code stepNumber}: the shards that late workers still owe
   * move to the workers that are done, which compute them for this step; the first partial of a
   * shard to arrive wins (both are the same bits). The late worker keeps computing; from the next
   * step it is asked only for the shards it kept.
   */
  public List<Send> stepTimedOut(long stepNumber) {
    if (stepInProgress() != stepNumber || paused || !loading.isEmpty()) return List.of();
    if (stepTree != null) return fallBackToStar("--step-timeout passed");
    List<String> done = new ArrayList<>();
    Map<String, List<Integer>> late = new LinkedHashMap<>();
    for (String w : workers) {
      List<Integer> missing = new ArrayList<>();
      for (int s : owed.getOrDefault(w, Set.of())) if (!collector.covers(s, null)) missing.add(s);
      if (missing.isEmpty()) done.add(w);
      else late.put(w, missing);
    }
    if (late.isEmpty() || done.isEmpty()) return List.of();
    Map<String, List<Integer>> next = new LinkedHashMap<>();
    for (Map.Entry<String, List<Integer>> e : assignment.entrySet()) {
      next.put(e.getKey(), new ArrayList<>(e.getValue()));
    }
    int k = 0;
    for (Map.Entry<String, List<Integer>> e : late.entrySet()) {
      for (int s : e.getValue()) {
        String helper = done.get(k++ % done.size());
        next.get(e.getKey()).remove(Integer.valueOf(s));
        next.get(helper).add(s);
        afterLoad.computeIfAbsent(helper, x -> new TreeSet<>()).add(s);
      }
      log.warn("step {}: worker {} is late (--step-timeout); shards {} are computed again on {}",
          stepNumber, e.getKey(), e.getValue(), done);
    }
    for (List<Integer> l : next.values()) l.sort(null);
    Map<String, List<Integer>> fixed = new LinkedHashMap<>();
    next.forEach((w, l) -> fixed.put(w, List.copyOf(l)));
    return reassign(fixed, late.keySet());
  }

  /** The joiners become workers, and the shards are spread evenly again. */
  private List<Send> admitJoiners() {
    workers.addAll(joining);
    log.info("workers {} take shards; {} workers now", joining, workers.size());
    joining.clear();
    if (workers.size() >= minWorkers && paused) {
      paused = false;
      log.info("{} workers alive again; the job goes on", workers.size());
    }
    return paused ? List.of() : rebalance();
  }

  /**
   * Spreads the shards evenly over the live workers, moving few; the shards of the current step
   * that nobody owes any more go to their new hosts, to compute once loaded.
   */
  private List<Send> rebalance() {
    Map<String, List<Integer>> next = ShardAssignment.rebalance(assignment, workers,
        plan.shards());
    List<Send> out = reassign(next);
    if (inStep) {
      for (int s : orphans) {
        String host = hostOf(s);
        if (loading.contains(host)) {
          afterLoad.computeIfAbsent(host, k -> new TreeSet<>()).add(s);
        } else {
          out.add(recompute(host, Set.of(s)));
        }
      }
      orphans.clear();
    }
    return out;
  }

  private String hostOf(int shard) {
    for (Map.Entry<String, List<Integer>> e : assignment.entrySet()) {
      if (e.getValue().contains(shard)) return e.getKey();
    }
    throw new IllegalStateException("shard " + shard + " has no host");
  }

  /**
   * A worker is gone (stopped, unreachable, its link closed, or dropped for a bad partial): its
   * shards move to the others, and what it owed for the current step is computed there again.
   */
  public List<Send> workerLost(String workerId, String why) {
    if (joining.remove(workerId)) {
      log.warn("worker {} left before it took shards ({})", workerId, why);
      return List.of();
    }
    if (!workers.remove(workerId)) return List.of();
    statuses.remove(workerId);
    lastComputeMs.remove(workerId);
    if (state == State.WAITING) {
      log.warn("worker {} left before the job started ({}); {} of {} registered", workerId, why,
          workers.size(), expectedWorkers);
      return List.of();
    }
    if (state == State.FINISHED) return List.of();
    log.warn("worker {} lost ({}); {} workers left", workerId, why, workers.size());
    List<Send> out = new ArrayList<>();
    if (inStep && stepTree != null) out.addAll(fallBackToStar("worker " + workerId + " was lost"));
    loading.remove(workerId);
    haveWeights.remove(workerId);
    Set<Integer> lost = new TreeSet<>(owed.getOrDefault(workerId, Set.of()));
    lost.addAll(afterLoad.getOrDefault(workerId, Set.of()));
    owed.remove(workerId);
    afterLoad.remove(workerId);
    assignment.remove(workerId);
    if (inStep) {
      collector.dropFrom(workerId);
      for (int s : lost) if (!collector.covers(s, workerId)) orphans.add(s);
    }
    if (workers.size() < minWorkers) {
      if (!paused) pauses++;
      paused = true;
      log.warn("the job waits for workers: {}", pausedFor());
      return out;
    }
    out.addAll(rebalance());
    return out;
  }

  /** EndJob to every registered worker. */
  public List<Send> endJob(String reason) {
    List<Send> out = new ArrayList<>();
    for (String w : workers) out.add(new Send(w, new EndJob(Header.of(jobId, 0), reason)));
    for (String w : joining) out.add(new Send(w, new EndJob(Header.of(jobId, 0), reason)));
    return out;
  }
}
