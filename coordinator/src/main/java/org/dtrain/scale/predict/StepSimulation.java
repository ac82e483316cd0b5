package org.dtrain.scale.predict;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.dtrain.coordinator.ShardAssignment;
import org.dtrain.sim.NetworkModel;

/**
 * One run of the step model: an event queue ordered by (time, insertion), hosts that handle one
 * message piece at a time in arrival order (an actor and its mailbox), core pools for the shard
 * computations, and {@link NetworkModel} for every piece on the wire. Times in nanoseconds from
 * the start of the step. Used once, by {@link StepModel#predict}.
 *
 * <p>Where CPU work runs depends on the placement. On a machine every host shares
 * ({@link Placement#shared()}: workers in one JVM, or worker processes beside the coordinator)
 * every piece of it waits for one of the machine's cores in one {@link CorePool}, first come, first
 * served: the shards, the workers' tree adds, and each host thread's own work (a message piece's o
 * at either end, writing or checking its floats, copying the weights or a partial, the
 * coordinator's adds, divide, optimizer and per-step overhead). With worker processes every JVM on
 * the machine also runs threads of its own (JIT compilers, the garbage collector, Akka's): one
 * background thread per JVM with the CPU per step the {@link CostModel} gives, from the start of
 * the step, taking a core in slices of {@link #BACKGROUND_SLICE_NANOS} in turn with the shards; the
 * step is over when that work is done too, since every step carries as much. In a cluster each
 * host is a machine of its own: a worker's shards and adds share its cores, the rest of each
 * host's work runs on a core of its own, and no background is charged; nor is it in one JVM
 * (docs/SCALING.md says why).
 */
final class StepSimulation {
  /** A background thread's turn on a core: about one time slice of the OS scheduler. */
  static final long BACKGROUND_SLICE_NANOS = 1_000_000;

  private record Event(long time, long seq, Runnable action) {}

  /** One message piece: weights for a worker, or a piece of the partial (first, level). */
  private record Piece(int from, boolean weights, int first, int level, int floats, long bytes) {}

  private final StepConfig cfg;
  private final ComputeProfile prof;
  private final double kappa;
  private final long overhead;                 // o, per piece at each end
  private final NetworkModel net;
  private final int k;                         // active workers; hosts 0..k-1
  private final int coord;                     // the coordinator's host index, k
  private final int p;
  private final int m;                         // pieces per tensor
  private final long updateCost;
  private final long coordinatorBackground;    // b_c: the coordinator JVM's other threads, per step
  private final long workerBackground;         // b_w: each worker JVM's

  private final PriorityQueue<Event> events = new PriorityQueue<>(
      Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));
  private long seq;
  private long now;

  private final String[] names;
  private final List<ArrayDeque<Piece>> mailbox = new ArrayList<>();
  private final boolean[] busy;
  private final TreeShape[] trees;
  private final int[] parent;                  // host the worker sends its partials to
  private final int[] expected;                // partials a host receives from its children
  private final int[] partialsIn;
  private final List<Map<Long, Integer>> piecesIn = new ArrayList<>(); // (from, first) -> pieces
  private final int[][] shardsOf;
  private final long[][] weightBytes;          // (k, m)
  private final CorePool[] pools;
  private final CorePool shared;               // the one machine's cores; null in a cluster
  private final int[] weightPiecesIn;
  private final int[] shardsLeft;              // shard computations not finished
  private final int[] completed;               // shards added into the worker's tree, in order
  private final int[] actorWorkLeft;           // adds queued or running on the worker's thread
  private final boolean[] computed;
  private final boolean[] forwarded;
  private final long[] weightsIn;
  private final long[] computeStart;
  private final long[] computeEnd;
  private final long[] receiveCpu;             // writing weight pieces, per worker
  private final long[] reduceCpu;              // taking in and adding partials, per host
  private long snapshotCost;
  private long workEnd = -1;                   // when the optimizer update ended
  private long backgroundEnd;                  // when the last background work ended
  private long stepEnd = -1;
  private long coordinatorMessages;
  private long coordinatorBytes;
  private long totalBytes;

  StepSimulation(StepConfig cfg, CostModel costs) {
    this.cfg = cfg;
    this.prof = costs.profile();
    this.kappa = costs.computeScale();
    this.overhead = Math.round(costs.messageOverheadNanos());
    this.net = cfg.network().newModel();
    this.k = cfg.activeWorkers();
    this.coord = k;
    this.p = cfg.parameters();
    this.m = WireSizes.chunks(p, cfg.chunkFloats());
    // divide and optimizer, plus the per-step coordinator overhead s
    this.updateCost = ns((double) p * prof.updateNanosPerFloat())
        + Math.round(costs.stepOverheadNanos());
    this.coordinatorBackground = Math.round(costs.coordinatorBackgroundNanos());
    this.workerBackground = Math.round(costs.workerBackgroundNanos());
    int hosts = k + 1;
    names = new String[hosts];
    busy = new boolean[hosts];
    trees = new TreeShape[hosts];
    parent = new int[k];
    expected = new int[hosts];
    partialsIn = new int[hosts];
    shardsOf = new int[k][];
    weightBytes = new long[k][];
    pools = new CorePool[k];
    weightPiecesIn = new int[k];
    shardsLeft = new int[k];
    completed = new int[k];
    actorWorkLeft = new int[k];
    computed = new boolean[k];
    forwarded = new boolean[k];
    weightsIn = new long[k];
    computeStart = new long[k];
    computeEnd = new long[k];
    receiveCpu = new long[k];
    reduceCpu = new long[hosts];
    shared = cfg.placement().shared()
        ? new CorePool(cfg.placement().cores(), cfg.placement().threadsPerWorker(k))
        : null;
    layOut();
  }

  /** Hosts, shards (as ShardAssignment gives them), the reduction tree, the core pools. */
  private void layOut() {
    int s = cfg.shards();
    List<String> ids = new ArrayList<>(k);
    for (int w = 0; w < k; w++) ids.add(WireSizes.workerId(w));
    Map<String, List<Integer>> assignment = ShardAssignment.evenly(s, ids);
    for (int h = 0; h <= k; h++) {
      names[h] = h == coord ? "coordinator" : ids.get(h);
      mailbox.add(new ArrayDeque<>());
      piecesIn.add(new HashMap<>());
      trees[h] = new TreeShape(s);
    }
    int[] up = cfg.reduction().parents(k); // once per step: K = 1024 builds one tree
    for (int w = 0; w < k; w++) {
      List<Integer> mine = assignment.get(ids.get(w));
      shardsOf[w] = mine.stream().mapToInt(Integer::intValue).toArray();
      weightBytes[w] = WireSizes.startStep(p, mine, cfg.chunkFloats());
      parent[w] = up[w] == Reduction.COORDINATOR ? coord : up[w];
      pools[w] = shared != null ? shared
          : new CorePool(cfg.placement().cores(), cfg.placement().threadsPerWorker(k));
    }
    // what each worker will forward: the tops of the shards below it (its own and its subtree's),
    // as PartialCombiner hands them out; in a tree the root's are one node, the whole sum
    List<List<Integer>> below = new ArrayList<>();
    for (int w = 0; w < k; w++) {
      List<Integer> own = new ArrayList<>();
      for (int sh : shardsOf[w]) own.add(sh);
      below.add(own);
    }
    for (int w = k - 1; w >= 0; w--) { // a parent's index is below its children's
      if (parent[w] != coord) below.get(parent[w]).addAll(below.get(w));
    }
    for (int w = 0; w < k; w++) {
      TreeShape t = new TreeShape(s);
      for (int sh : below.get(w)) t.complete(sh, 0);
      expected[parent[w]] += t.tops().size();
    }
  }

  StepPrediction run() {
    // the coordinator sends every worker its pieces, in worker order; the copy of the weights they
    // share was made by the last step's update, in its pass (updateCost)
    busy[coord] = true;
    snapshotCost = 0;
    int[] to = new int[k * m];
    Piece[] pieces = new Piece[k * m];
    for (int w = 0; w < k; w++) {
      for (int j = 0; j < m; j++) {
        int floats = Math.min(cfg.chunkFloats(), p - j * cfg.chunkFloats());
        to[w * m + j] = w;
        pieces[w * m + j] = new Piece(coord, true, 0, 0, floats, weightBytes[w][j]);
      }
    }
    sendAll(coord, snapshotCost, to, pieces);
    startBackground();
    while (!events.isEmpty()) {
      Event e = events.poll();
      now = e.time();
      e.action().run();
    }
    if (workEnd >= 0) stepEnd = Math.max(workEnd, backgroundEnd);
    if (stepEnd < 0) {
      throw new IllegalStateException("the simulated step did not complete: " + cfg);
    }
    return result();
  }

  /**
   * Worker processes on one machine: the background threads of the coordinator's JVM and of each
   * worker's JVM (every worker process, with shards or not), from the start of the step. Their
   * first slices are the first work in the shards' queue: a worker's first shard may wait for one.
   */
  private void startBackground() {
    if (cfg.placement().kind() != Placement.Kind.PROCESSES) return;
    int thread = k + 1; // CorePool keys beyond the hosts'
    if (coordinatorBackground > 0) background(thread, coordinatorBackground);
    if (workerBackground > 0) {
      for (int j = 0; j < cfg.workers(); j++) background(thread + 1 + j, workerBackground);
    }
  }

  /** A slice of a background thread's work; the rest queues again behind what waits meanwhile. */
  private void background(int thread, long left) {
    long slice = Math.min(left, BACKGROUND_SLICE_NANOS);
    shared.submitBackground(thread, slice, () -> {
      if (left > slice) background(thread, left - slice);
      else backgroundEnd = Math.max(backgroundEnd, now);
    });
    dispatch(shared);
  }

  private void at(long time, Runnable action) {
    events.add(new Event(time, seq++, action));
  }

  /**
   * {@code nanos} of CPU work on the host's own thread, then {@code then}: right away in a cluster
   * (the thread has a core of its own), after waiting for a core on a shared machine.
   */
  private void cpu(int host, long nanos, Runnable then) {
    if (shared == null || nanos <= 0) {
      at(now + nanos, then);
      return;
    }
    shared.submitActor(host, nanos, then);
    dispatch(shared);
  }

  /**
   * The host's thread spends {@code first} (copying what it sends), then o on each piece in turn,
   * handing each to the network as its o ends; then the host takes its next message.
   */
  private void sendAll(int from, long first, int[] to, Piece[] pieces) {
    if (shared == null) { // every time is known now
      long t = now + first;
      for (int i = 0; i < pieces.length; i++) {
        t += overhead;
        transmit(from, to[i], pieces[i], t);
      }
      at(t, () -> idle(from));
      return;
    }
    cpu(from, first, () -> sendNext(from, to, pieces, 0));
  }

  private void sendNext(int from, int[] to, Piece[] pieces, int i) {
    if (i == pieces.length) {
      idle(from);
      return;
    }
    cpu(from, overhead, () -> {
      transmit(from, to[i], pieces[i], now);
      sendNext(from, to, pieces, i + 1);
    });
  }

  private void transmit(int from, int to, Piece piece, long time) {
    at(time, () -> {
      long delivered = net.send(names[from], names[to], piece.bytes(), now);
      totalBytes += piece.bytes();
      if (from == coord || to == coord) {
        coordinatorBytes += piece.bytes();
        coordinatorMessages++;
      }
      at(delivered, () -> arrive(to, piece));
    });
  }

  private void arrive(int host, Piece piece) {
    mailbox.get(host).add(piece);
    if (!busy[host]) next(host);
  }

  private void idle(int host) {
    busy[host] = false;
    next(host);
  }

  /** Takes the next piece from the host's mailbox, if it is free and there is one. */
  private void next(int host) {
    if (busy[host]) return;
    Piece piece = mailbox.get(host).poll();
    if (piece == null) return;
    busy[host] = true;
    if (piece.weights()) {
      long put = ns(piece.floats() * prof.putNanosPerFloat());
      receiveCpu[host] += put;
      cpu(host, overhead + put, () -> weightPieceDone(host));
      return;
    }
    long key = ((long) piece.from() << 32) | piece.first();
    boolean whole = piecesIn.get(host).merge(key, 1, Integer::sum) == m;
    long cost = ns(piece.floats() * (prof.checkNanosPerFloat() + prof.putNanosPerFloat()));
    boolean last = false;
    if (whole) {
      int adds = trees[host].complete(piece.first(), piece.level());
      last = host == coord && trees[host].isComplete();
      // the coordinator's root addition is made in the update's pass (updateCost)
      if (last && adds > 0) adds--;
      cost += ns((double) adds * p * prof.addNanosPerFloat());
      if (last) cost += updateCost; // divide and optimizer, in the same message's handling
    }
    reduceCpu[host] += cost;
    boolean stepDone = last;
    cpu(host, overhead + cost, () -> partialPieceDone(host, whole, stepDone));
  }

  private void weightPieceDone(int w) {
    if (++weightPiecesIn[w] < m) {
      idle(w);
      return;
    }
    weightsIn[w] = now;
    computeStart[w] = now; // the actor stays busy until its compute ends
    shardsLeft[w] = shardsOf[w].length;
    long task = ns(kappa * prof.shardNanos(cfg.rowsPerShard()) * cfg.slowdown(w));
    pools[w].submitShards(w, shardsOf[w].length, task);
    dispatch(pools[w]);
  }

  private void dispatch(CorePool pool) {
    pool.dispatch(task -> at(now + task.durationNanos(), () -> {
      pool.finished(task);
      if (task.then() != null) task.then().run();
      else taskDone(pool, task);
      dispatch(pool);
    }));
  }

  /**
   * A shard is computed: the worker's thread adds it into the tree (WorkerSession completes shards
   * in their order; equal tasks end in that order). The compute ends when every shard is in and
   * every add is done.
   */
  private void taskDone(CorePool pool, CorePool.Task task) {
    int w = task.host();
    if (task.actor()) {
      actorWorkLeft[w]--;
    } else {
      shardsLeft[w]--;
      int adds = trees[w].complete(shardsOf[w][completed[w]++], 0);
      if (adds > 0) {
        actorWorkLeft[w]++;
        pool.submitActor(w, ns((double) adds * p * prof.addNanosPerFloat() * cfg.slowdown(w)));
      }
    }
    if (shardsLeft[w] == 0 && actorWorkLeft[w] == 0) {
      computeEnd[w] = now;
      computed[w] = true;
      busy[w] = false;
      forwardIfReady(w);
      next(w);
    }
  }

  private void partialPieceDone(int host, boolean whole, boolean stepDone) {
    if (stepDone) {
      workEnd = now;
      return;
    }
    if (whole) partialsIn[host]++;
    busy[host] = false;
    if (host != coord) forwardIfReady(host);
    next(host);
  }

  /**
   * Once a worker has computed and holds every partial of its children, it copies each of its tree's
   * tops into a message and sends the pieces up.
   */
  private void forwardIfReady(int w) {
    if (!computed[w] || forwarded[w] || partialsIn[w] < expected[w]) return;
    forwarded[w] = true;
    busy[w] = true;
    List<int[]> tops = trees[w].tops();
    int[] to = new int[tops.size() * m];
    Piece[] pieces = new Piece[tops.size() * m];
    int i = 0;
    for (int[] top : tops) {
      int first = top[0];
      int level = top[1];
      int shardsIn = (int) Math.min((long) first + (1L << level), cfg.shards()) - first;
      long[] bytes = WireSizes.shardGradients(p, names[w], first, level,
          (int) Math.round(cfg.rowsPerShard() * shardsIn), cfg.chunkFloats());
      for (int j = 0; j < m; j++, i++) {
        int floats = Math.min(cfg.chunkFloats(), p - j * cfg.chunkFloats());
        to[i] = parent[w];
        pieces[i] = new Piece(w, false, first, level, floats, bytes[j]);
      }
    }
    sendAll(w, ns((double) tops.size() * p * prof.snapshotNanosPerFloat()), to, pieces);
  }

  private StepPrediction result() {
    long compute = 0;
    double computeSum = 0;
    long receive = 0;
    long workerReduce = 0;
    long lastWeights = 0;
    long lastCompute = 0;
    for (int w = 0; w < k; w++) {
      long c = computeEnd[w] - computeStart[w];
      compute = Math.max(compute, c);
      computeSum += c;
      receive = Math.max(receive, receiveCpu[w]);
      workerReduce = Math.max(workerReduce, reduceCpu[w]);
      lastWeights = Math.max(lastWeights, weightsIn[w]);
      lastCompute = Math.max(lastCompute, computeEnd[w]);
    }
    double idle = stepEnd <= 0 ? 0 : Math.max(0, 100 * (1 - computeSum / k / stepEnd));
    return new StepPrediction(cfg, k, stepEnd, compute, reduceCpu[coord], snapshotCost + receive,
        idle, workerReduce, new StepPrediction.Timeline(lastWeights, lastCompute, stepEnd),
        coordinatorMessages, coordinatorBytes, totalBytes);
  }

  private static long ns(double nanos) {
    return Math.round(nanos);
  }
}
