package org.dtrain.worker;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.dtrain.Version;
import org.dtrain.data.Dataset;
import org.dtrain.data.ShardPlan;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Parameters;
import org.dtrain.protocol.AssignShards;
import org.dtrain.protocol.ChunkRanges;
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
import org.dtrain.protocol.StatusRequest;
import org.dtrain.protocol.StepFailed;
import org.dtrain.protocol.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a worker does, without Akka: takes the coordinator's messages and returns the replies.
 * It holds the job, the rows of its shards, one step runner per shard and the latest weights; it
 * applies no optimizer. Messages of another protocol version or job, and weights of an old step, are
 * dropped with a log line. Not thread-safe: one actor owns it.
 *
 * <p><b>Tree reduction.</b> A StartStep with a {@link ReductionTarget} makes the step a tree step here:
 * a {@link PartialCombiner} takes the children's partials (from the step's first weight chunk on;
 * those of a step not begun yet are kept until it begins), the own shards are computed into the same
 * shard tree, and when every expected shard is in the nodes held go to the parent worker
 * ({@link Outgoing#peer()}), or to the coordinator at the root. A StartStep without a target for a
 * step this worker holds tree state for (the coordinator fell back to star because the worker set
 * changed or the step timed out) drops that state: the listed shards go straight to the coordinator,
 * and children's partials of that step arriving later are dropped.
 */
public final class WorkerSession {
  private static final Logger log = LoggerFactory.getLogger(WorkerSession.class);

  private final String workerId;
  private final Function<String, Dataset> dataLoader; // null: this worker cannot read data itself
  private final ExecutorService pool;                 // null: shards one after another
  private JobSpec job;                                        // null until a job arrives
  private final Map<Integer, ShardLoad> loading = new TreeMap<>();
  private final Map<Integer, StepRunner> runners = new TreeMap<>(); // loaded shards
  private Parameters weights;
  private ShardTree tree;
  private long step = -1;                 // the step whose weights are being assembled or computed
  private final ChunkRanges weightChunks = new ChunkRanges(); // of this step's weights
  private final Set<Integer> recompute = new TreeSet<>(); // asked again before the weights were in
  private long receiveNanos;
  private ReductionTarget target;  // this step's place in the workers' tree; null: star
  private PartialCombiner combiner; // this step's tree state; null: star, or already forwarded
  private final TreeMap<Long, List<ShardGradients>> early = new TreeMap<>(); // of a step not begun
  private BufferExchange dataLink;         // null: none, replies go over Akka
  private long lastComputeNanos;          // as reported: slowed down by the factor
  private final double slowdown;          // >= 1: compute takes this many times as long
  private long owedNanos;                 // slowdown wait the last handle() owes before replying
  private String state = "idle";

  public WorkerSession(String workerId) {
    this(workerId, null);
  }

  /**
   * @param dataLoader reads the training rows from a job configuration (HOCON) exactly as the
   *     coordinator does: used when an {@link AssignShards} asks the worker to read the data itself
   *     ({@code --data-on-workers}); null when the rows are always shipped (in one JVM)
   */
  public WorkerSession(String workerId, Function<String, Dataset> dataLoader) {
    this(workerId, dataLoader, 1);
  }

  /**
   * @param shardThreads how many of this worker's shards are computed at the same time (each
   *     single-threaded, so the bits never depend on it); 1 computes them one after another
   */
  public WorkerSession(String workerId, Function<String, Dataset> dataLoader, int shardThreads) {
    this(workerId, dataLoader, shardThreads, 1.0);
  }

  /**
   * @param slowdown F >= 1: a simulated slow machine ({@code --sim-slow-worker}). A step's compute
   *     of c ns is reported as F c, and {@link #takeOwedNanos} asks the caller to wait (F - 1) c more
   *     before sending the replies. The bits never depend on it. 1: a normal worker.
   */
  public WorkerSession(String workerId, Function<String, Dataset> dataLoader, int shardThreads,
      double slowdown) {
    if (!(slowdown >= 1) || Double.isInfinite(slowdown)) {
      throw new IllegalArgumentException("slowdown must be finite and at least 1: " + slowdown);
    }
    this.slowdown = slowdown;
    this.workerId = workerId;
    this.dataLoader = dataLoader;
    this.pool = shardThreads <= 1 ? null : Executors.newFixedThreadPool(shardThreads, r -> {
      Thread t = new Thread(r, "dtrain-shard-" + workerId);
      t.setDaemon(true);
      return t;
    });
  }

  /** Stops the shard threads, if any. */
  public void close() {
    if (pool != null) pool.shutdownNow();
  }

  public String workerId() {
    return workerId;
  }

  /**
   * The registration this worker sends when it starts. The system property
   * {@code dtrain.test.protocol} makes it claim another protocol version (tests of the refusal).
   */
  public RegisterWorker register() {
    int protocol = Integer.getInteger("dtrain.test.protocol", Protocol.VERSION);
    return new RegisterWorker(new Header(protocol, "", 0), workerId, Version.DTRAIN,
        Runtime.getRuntime().availableProcessors());
  }

  /** The current job's id; empty without one. */
  public String jobId() {
    return job == null ? "" : job.header().jobId();
  }

  /** Whether the current job is this one. */
  public boolean hasJob(String jobId) {
    return job != null && job.header().jobId().equals(jobId);
  }

  /** Shard ids whose rows are loaded and checked. */
  public List<Integer> hostedShards() {
    return List.copyOf(runners.keySet());
  }

  /**
   * The slowdown wait (F - 1) c, in nanoseconds, owed by the steps computed since the last call: the
   * caller holds the replies back this long. 0 for a normal worker; reset by the call.
   */
  public long takeOwedNanos() {
    long owed = owedNanos;
    owedNanos = 0;
    return owed;
  }

  /**
   * Handles one message from the coordinator (or, in tree reduction, a child worker's partial);
   * returns everything to send, in order, whatever its destination ({@link #process} tells).
   */
  public List<Message> handle(Message m) {
    return process(m).stream().map(Outgoing::message).toList();
  }

  /** Handles one message; returns what to send, in order, each with its destination. */
  public List<Outgoing> process(Message m) {
    Header h = m.header();
    if (m instanceof EndJob e && job == null) { // a refusal: read whatever the protocol version
      log.info("worker {}: the coordinator ended the registration: {}", workerId, e.reason());
      return List.of();
    }
    if (h.protocol() != Protocol.VERSION) {
      log.warn("worker {}: dropped {} of protocol version {} (this worker speaks {})", workerId,
          m.getClass().getSimpleName(), h.protocol(), Protocol.VERSION);
      return List.of();
    }
    if (m instanceof JobSpec j) return coordinator(onJob(j));
    if (job == null || !job.header().jobId().equals(h.jobId())) {
      log.warn("worker {}: dropped {} of job {} (current job: {})", workerId,
          m.getClass().getSimpleName(), h.jobId(), job == null ? "none" : job.header().jobId());
      return List.of();
    }
    if (m instanceof AssignShards a) return coordinator(onAssign(a));
    if (m instanceof ShardChunk c) return coordinator(onChunk(c));
    if (m instanceof StartStep s) return onStartStep(s);
    if (m instanceof ShardGradients g) return onPartial(g);
    if (m instanceof StatusRequest) return coordinator(List.of(status()));
    if (m instanceof EndJob e) return coordinator(onEnd(e));
    log.warn("worker {}: dropped unexpected {}", workerId, m.getClass().getSimpleName());
    return List.of();
  }

  private static List<Outgoing> coordinator(List<Message> ms) {
    return ms.stream().map(Outgoing::toCoordinator).toList();
  }

  private List<Message> onJob(JobSpec j) {
    if (job != null && job.header().jobId().equals(j.header().jobId())) {
      log.warn("worker {}: dropped a repeated job spec for job {}", workerId, j.header().jobId());
      return List.of();
    }
    job = j;
    loading.clear();
    runners.clear();
    weights = Parameters.zeros(j.spec());
    tree = new ShardTree(j.spec(), j.shards());
    step = -1;
    target = null;
    combiner = null;
    early.clear();
    state = "idle";
    log.debug("worker {}: job {}: {} over {} shards", workerId, j.header().jobId(),
        j.spec().describe(), j.shards());
    return List.of();
  }

  private List<Message> onAssign(AssignShards a) {
    loading.clear();
    Map<Integer, StepRunner> keep = new TreeMap<>();
    for (ShardInfo info : a.shards()) {
      if (info.shard() >= job.shards()) {
        return List.of(failed(a.header(), info.shard(), "shard " + info.shard()
            + " does not exist: the job has " + job.shards() + " shards"));
      }
      StepRunner held = runners.get(info.shard());
      if (held != null && held.data().rows() == info.rows()
          && held.data().sha256().equals(info.sha256())) {
        keep.put(info.shard(), held); // already here: no need to ship it again
      } else {
        loading.put(info.shard(), new ShardLoad(info, job.features(), job.outputs()));
      }
    }
    runners.clear();
    runners.putAll(keep);
    state = loading.isEmpty() ? "ready" : "loading";
    if (!loading.isEmpty() && a.dataOnWorkers()) return readShards(a);
    return loading.isEmpty() ? List.of(loaded(a.header())) : List.of();
  }

  /**
   * {@code --data-on-workers}: reads the training rows with the coordinator's job configuration, keeps
   * only the shards being loaded (cut by the coordinator's shard plan) and checks each against the
   * coordinator's checksum. The rest of the data set is dropped.
   */
  private List<Message> readShards(AssignShards a) {
    Header h = a.header();
    List<ShardLoad> wanted = List.copyOf(loading.values());
    loading.clear();
    if (dataLoader == null) {
      return List.of(failed(h, -1, "worker " + workerId
          + " cannot read the training data itself (it has no data loader); ship the rows instead"));
    }
    Dataset all;
    try {
      all = dataLoader.apply(a.dataConfig());
    } catch (RuntimeException e) {
      return List.of(failed(h, -1, "worker " + workerId + " could not read the training data: "
          + (e.getMessage() == null ? e.toString() : e.getMessage())
          + " (with --data-on-workers every node needs the data at the same path)"));
    }
    if (all.rows() != a.trainRows() || all.features() != job.features()
        || all.outputs() != job.outputs()) {
      return List.of(failed(h, -1, "the training data read on worker " + workerId + " ("
          + all.source() + ") has " + all.rows() + " rows of " + all.features() + " features and "
          + all.outputs() + " outputs, the coordinator's " + a.trainRows() + " rows of "
          + job.features() + " features and " + job.outputs()
          + " outputs (with --data-on-workers every node needs the same file at the same path)"));
    }
    ShardPlan plan = new ShardPlan(a.trainRows(), job.shards());
    for (ShardLoad load : wanted) {
      ShardInfo info = load.info();
      int s = info.shard();
      if (plan.size(s) != info.rows()) {
        return List.of(failed(h, s, "shard " + s + " has " + plan.size(s) + " of " + a.trainRows()
            + " rows on worker " + workerId + ", the coordinator says " + info.rows()));
      }
      ShardData data = ShardData.slice(s, all.x(), all.y(), all.features(), all.outputs(),
          plan.start(s), plan.size(s));
      String sha = data.sha256();
      if (!sha.equals(info.sha256())) {
        return List.of(failed(h, s, "the rows of shard " + s + " read on worker " + workerId
            + " from " + all.source() + " differ from the coordinator's: sha256 " + sha
            + " on the worker, " + info.sha256() + " on the coordinator (with --data-on-workers"
            + " every node needs the same file at the same path)"));
      }
      runners.put(s, new StepRunner(job.spec(), data, job.seed(), job.stepsPerEpoch(),
          job.fullBatch()));
    }
    state = "ready";
    return List.of(loaded(h));
  }

  private List<Message> onChunk(ShardChunk c) {
    ShardLoad load = loading.get(c.shard());
    if (load == null) {
      log.warn("worker {}: dropped rows of shard {}, which is not being loaded", workerId, c.shard());
      return List.of();
    }
    String problem = load.add(c.part(), c.values());
    if (problem != null) {
      loading.remove(c.shard());
      return List.of(failed(c.header(), c.shard(), problem));
    }
    if (!load.isComplete()) return List.of();
    ShardData data = load.data();
    String sha = data.sha256();
    loading.remove(c.shard());
    if (!sha.equals(load.info().sha256())) {
      return List.of(failed(c.header(), c.shard(), "the rows of shard " + c.shard()
          + " do not match their checksum: expected " + load.info().sha256() + ", found " + sha));
    }
    runners.put(c.shard(), new StepRunner(job.spec(), data, job.seed(), job.stepsPerEpoch(),
        job.fullBatch()));
    if (!loading.isEmpty()) return List.of();
    state = "ready";
    return List.of(loaded(c.header()));
  }

  private List<Outgoing> onStartStep(StartStep s) {
    long t = s.header().step();
    if (t < step) {
      log.warn("worker {}: dropped weights of step {}, already at step {}", workerId, t, step);
      return List.of();
    }
    if (t == step && target != null && s.reduction() == null) {
      log.debug("worker {}: step {} falls back to star; its tree state is dropped", workerId, t);
      target = null;
      combiner = null;
    }
    if (s.weights().length() == 0 && s.weights().total() > 0) return onRecompute(s);
    long started = System.nanoTime();
    if (t > step) {
      recompute.clear();
      step = t;
      weightChunks.clear();
      receiveNanos = 0;
      target = null;
      combiner = null;
      if (s.reduction() != null) {
        String problem = startTree(s);
        if (problem != null) return coordinator(List.of(failed(s.header(), -1, problem)));
      }
    }
    FloatChunk w = s.weights();
    if (w.total() != weights.count()) {
      return coordinator(List.of(failed(s.header(), -1, "expected " + weights.count()
          + " weights, the coordinator sent " + w.total())));
    }
    if (weightChunks.received() == w.total() || !weightChunks.add(w.offset(), w.length())) {
      log.warn("worker {}: dropped a duplicate or overlapping weight chunk at {} of step {}",
          workerId, w.offset(), t);
      return List.of();
    }
    if (w.isWhole() && dataLink != null && w.values().capacity() == weights.count()
        && dataLink.exchange(w.values(), weights.values())) {
      weights = Parameters.wrap(weights.spec(), w.values()); // the link's buffer is ours: no copy
    } else {
      w.copyTo(weights.values());
    }
    receiveNanos += System.nanoTime() - started;
    if (weightChunks.received() < w.total()) return List.of();
    if (!recompute.isEmpty()) {
      recompute.addAll(s.shards());
      s = new StartStep(s.header(), s.epoch(), s.stepInEpoch(), List.copyOf(recompute), w);
      recompute.clear();
    }
    return compute(s);
  }

  /**
   * The first chunk of a tree step: the combiner for it, with the children's partials that came
   * before. Returns null, or why the target does not fit.
   */
  private String startTree(StartStep s) {
    ReductionTarget r = s.reduction();
    if (!r.toCoordinator() && r.parentAddress().isEmpty()) {
      return "step " + s.header().step() + ": the parent worker " + r.parentId()
          + " in the reduction tree comes without an address";
    }
    try {
      combiner = new PartialCombiner(tree, weights.count(), s.shards(), r.awaited(), r.children());
    } catch (IllegalArgumentException e) {
      return "step " + s.header().step() + ": " + e.getMessage();
    }
    target = r;
    early.headMap(s.header().step()).clear();
    List<ShardGradients> before = early.remove(s.header().step());
    if (before != null) {
      for (ShardGradients g : before) {
        String problem = take(g);
        if (problem != null) return problem;
      }
    }
    return null;
  }

  /**
   * A child's partial in tree reduction: added in this step's shard tree, kept for a step not begun
   * yet, or dropped (an old step, or one this worker does not wait for).
   */
  private List<Outgoing> onPartial(ShardGradients g) {
    long t = g.header().step();
    if (t > step) { // its StartStep is on its way: keep it, for the newest such step only
      if (!early.isEmpty() && early.lastKey() > t) return List.of();
      early.headMap(t).clear();
      early.computeIfAbsent(t, k -> new ArrayList<>()).add(g);
      return List.of();
    }
    if (t < step || combiner == null) {
      log.debug("worker {}: dropped a partial of step {} from worker {} (at step {}, {})", workerId,
          t, g.workerId(), step, combiner == null ? "not waiting for partials" : "an old step");
      return List.of();
    }
    String problem = take(g);
    if (problem != null) return coordinator(List.of(failed(g.header(), g.first(), problem)));
    return forwardIfComplete();
  }

  /** Adds a child's chunk to the combiner; returns null, or why it does not fit. */
  private String take(ShardGradients g) {
    PartialAssembly.Outcome o = combiner.accept(g);
    if (o == PartialAssembly.Outcome.DUPLICATE) {
      log.debug("worker {}: dropped a duplicate partial ({}, {}) of step {} from worker {}",
          workerId, g.first(), g.level(), g.header().step(), g.workerId());
    }
    return o == PartialAssembly.Outcome.REJECTED
        ? "step " + g.header().step() + ": " + combiner.lastProblem() : null;
  }

  /** Every shard this worker's subtree owes is in: the nodes it holds go to its parent. */
  private List<Outgoing> forwardIfComplete() {
    if (combiner == null || !combiner.isComplete()) return List.of();
    List<Message> out = partials(Header.of(job.header().jobId(), step), combiner.tops(),
        combiner.computeNanos(), combiner.receiveNanos(), false);
    combiner = null; // sent: later partials of this step are dropped
    String peer = target.toCoordinator() ? null : target.parentAddress();
    return out.stream().map(m -> new Outgoing(m, peer)).toList();
  }

  /**
   * The nodes as messages. Each owns a copy (the tree's buffers are reused next step), unless
   * {@code views}: then it is a {@link FloatChunk#view} of the tree, for a data link that copies it
   * into its frames at once.
   */
  private List<Message> partials(Header h, List<ShardTree.Node> nodes, long computeNanos,
      long receiveNanos, boolean views) {
    List<Message> out = new ArrayList<>();
    for (ShardTree.Node node : nodes) {
      BatchStats st = node.stats();
      FloatChunk c = views ? FloatChunk.view(node.sum().values(), node.sum().count())
          : FloatChunk.copyOf(node.sum().values(), node.sum().count());
      out.add(new ShardGradients(h, workerId, node.first(), node.level(), st.samples(),
          st.lossSum(), st.correct(), computeNanos, receiveNanos, c));
    }
    return out;
  }

  /**
   * A step's weights without values: compute these shards (again, or newly given after a worker
   * failed) with the weights of this step, which this worker has, or is still receiving.
   */
  private List<Outgoing> onRecompute(StartStep s) {
    long t = s.header().step();
    if (t == step && weightChunks.received() == weights.count()) return compute(s);
    if (t == step) {
      recompute.addAll(s.shards());
      return List.of();
    }
    return coordinator(List.of(failed(s.header(), -1, "asked to compute shards " + s.shards()
        + " of step " + t + " again, but worker " + workerId + " never had that step's weights")));
  }

  /**
   * Every weight of the step is in: compute the listed shards and send their subtree sums (star), or
   * add them to the step's tree and forward once the children's partials are in too.
   */
  private List<Outgoing> compute(StartStep s) {
    if (new HashSet<>(s.shards()).size() != s.shards().size()) {
      return coordinator(List.of(failed(s.header(), -1, "the step lists a shard twice: "
          + s.shards())));
    }
    for (int shard : s.shards()) {
      if (!runners.containsKey(shard)) {
        return coordinator(List.of(failed(s.header(), shard, "worker " + workerId
            + " does not host shard " + shard + " (it hosts " + runners.keySet() + ")")));
      }
    }
    state = "computing";
    long started = System.nanoTime();
    if (combiner == null) tree.reset(); // a tree step computes into the combiner's tree
    if (pool == null || s.shards().size() == 1) {
      for (int shard : s.shards()) {
        BatchStats stats = runners.get(shard).run(weights, s.epoch(), s.stepInEpoch(),
            tree.buffer(shard));
        tree.complete(shard, 0, stats);
      }
    } else {
      computeInParallel(s);
    }
    long computed = System.nanoTime() - started;
    lastComputeNanos = slowdown == 1.0 ? computed : Math.round(computed * slowdown);
    owedNanos += lastComputeNanos - computed;
    state = "ready";
    if (combiner != null) {
      combiner.ownComputed(lastComputeNanos, receiveNanos);
      return forwardIfComplete();
    }
    // views only when the replies go out now, over the link: a slowed worker's wait (see
    // takeOwedNanos) could outlast the link, and Akka keeps messages
    boolean views = dataLink != null && slowdown == 1.0;
    List<ShardTree.Node> tops = tree.tops();
    List<Message> out = partials(s.header(), tops, lastComputeNanos, receiveNanos, views);
    if (views) {
      for (ShardTree.Node node : tops) { // the link sends these buffers as they are; ours are new
        FloatBuffer instead = dataLink.handOver(node.sum().values());
        if (instead != null) tree.adopt(node.first(), instead);
      }
    }
    return coordinator(out);
  }

  /**
   * Each shard on a pool thread (its own runner and workspace, single-threaded BLAS), then the tree
   * adds here: the same additions as one after another, so the same bits.
   */
  private void computeInParallel(StartStep s) {
    List<Future<BatchStats>> results = new ArrayList<>();
    for (int shard : s.shards()) {
      Parameters buf = tree.buffer(shard); // made here: the tree is not thread-safe
      StepRunner r = runners.get(shard);
      results.add(pool.submit(() -> r.run(weights, s.epoch(), s.stepInEpoch(), buf)));
    }
    for (int i = 0; i < results.size(); i++) {
      try {
        tree.complete(s.shards().get(i), 0, results.get(i).get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while computing shards", e);
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof RuntimeException re) throw re;
        throw new IllegalStateException(String.valueOf(c), c);
      }
    }
  }

  private List<Message> onEnd(EndJob e) {
    log.debug("worker {}: job {} ended: {}", workerId, e.header().jobId(), e.reason());
    job = null;
    loading.clear();
    runners.clear();
    weights = null;
    tree = null;
    target = null;
    combiner = null;
    early.clear();
    state = "idle";
    return List.of();
  }

  /**
   * A data link's side of the worker's big tensors, while it has one (null: none). Whole weights that
   * came over it in a buffer it lent become the network's weights without a copy, and the partials
   * for the coordinator are views of the tree that the caller must send over the link before it
   * calls this session again. The tree's buffers that those views show are handed over to the link
   * ({@link BufferExchange#handOver}), which sends them as they are; the tree goes on in the buffers
   * it gets instead. A buffer the link cannot send as it is, it copies into its frames.
   */
  public void dataLink(BufferExchange link) {
    this.dataLink = link;
  }

  public WorkerStatus status() {
    return new WorkerStatus(Header.of(job == null ? "" : job.header().jobId(), Math.max(step, 0)),
        workerId, state, hostedShards(), lastComputeNanos);
  }

  private ShardsLoaded loaded(Header h) {
    return new ShardsLoaded(h, workerId, hostedShards());
  }

  private StepFailed failed(Header h, int shard, String reason) {
    log.warn("worker {}: {}", workerId, reason);
    return new StepFailed(h, workerId, shard, reason);
  }

  /** The rows of one shard as their chunks arrive. */
  private static final class ShardLoad {
    private final ShardInfo info;
    private final int features;
    private final int outputs;
    private final float[] x;
    private final float[] y;
    private final ChunkRanges filledX = new ChunkRanges();
    private final ChunkRanges filledY = new ChunkRanges();

    ShardLoad(ShardInfo info, int features, int outputs) {
      this.info = info;
      this.features = features;
      this.outputs = outputs;
      this.x = new float[Math.multiplyExact(info.rows(), features)];
      this.y = new float[Math.multiplyExact(info.rows(), outputs)];
    }

    ShardInfo info() {
      return info;
    }

    /** @return null, or why the chunk does not fit */
    String add(int part, FloatChunk c) {
      float[] dst = part == ShardChunk.X ? x : y;
      if (c.total() != dst.length) {
        return "shard " + info.shard() + ": expected " + dst.length + " values of "
            + (part == ShardChunk.X ? "x" : "y") + ", the chunk says " + c.total();
      }
      if (!(part == ShardChunk.X ? filledX : filledY).add(c.offset(), c.length())) {
        return null; // a duplicate (an overlap would fail the checksum anyway)
      }
      c.copyTo(dst);
      return null;
    }

    boolean isComplete() {
      return filledX.received() == x.length && filledY.received() == y.length;
    }

    ShardData data() {
      return new ShardData(info.shard(), info.rows(), features, outputs, x, y);
    }
  }
}
