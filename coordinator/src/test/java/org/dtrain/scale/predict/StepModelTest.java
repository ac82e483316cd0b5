package org.dtrain.scale.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cases a reader can work out by hand, and the properties every prediction must have. */
class StepModelTest {
  private static final int CHUNK = org.dtrain.protocol.FloatChunk.MAX_FLOATS;

  /** c(r) = a + b r and per-float costs written by hand. */
  static ComputeProfile profile(double a, double b, double add, double snapshot, double put,
      double check, double update) {
    return new ComputeProfile(new LinearFit(a, b), add, snapshot, put, check, update, List.of());
  }

  private static StepPrediction predict(ComputeProfile prof, double overhead, StepConfig cfg) {
    return new StepModel(new CostModel(prof, 1, overhead)).predict(cfg);
  }

  @Test
  void oneWorkerWithoutNetworkIsComputeThenPartialCopyThenOptimizer() {
    int p = 100_000;
    // c(64) = 1000 + 100 * 64 = 7400 ns; copying 1 ns/float; update 2 ns/float; the rest free
    ComputeProfile prof = profile(1000, 100, 0, 1, 0, 0, 2);
    StepPrediction s = predict(prof, 0, StepConfig.of(1, 1, 64, p, Placement.cluster(1)));
    // c(r) + the worker's copy of its partial + the update (which makes the coordinator's copy of
    // the next weights in its pass)
    assertEquals(7400 + p + 2L * p, s.stepNanos());
    assertEquals(7400, s.computeNanos());
    assertEquals(0, s.broadcastNanos());
    assertEquals(2L * p, s.reduceNanos());
    assertEquals(100 * (1 - 7400.0 / s.stepNanos()), s.idlePct(), 1e-9);
    assertEquals(new StepPrediction.Timeline(0, 7400, s.stepNanos()), s.timeline());
  }

  @Test
  void everyCostOfOneWorkerAddsUp() {
    int p = 100_000; // 3 pieces: 49152, 49152, 1696 floats
    long o = 1_000;
    ComputeProfile prof = profile(1000, 100, 0, 1, 0.5, 0.25, 2);
    StepPrediction s = predict(prof, o, StepConfig.of(1, 1, 64, p, Placement.cluster(1)));
    // Pieces pipeline: while the receiver takes one in (o + its floats' cost, longer than o), the
    // sender already sends the next. So each direction costs: copy P, o for the first send, then
    // the receiver's o + per-float cost for each of the 3 pieces. The weights were copied out by the
    // last update (its 2 ns/float).
    long out = o + (3 * o + p / 2);               // worker writes the weights (0.5/float)
    long compute = 7400;
    long back = p + o + (3 * o + (p * 3) / 4);    // copy partial; coordinator checks and puts it
    assertEquals(out + compute + back + 2L * p, s.stepNanos());
    assertEquals(p / 2, s.broadcastNanos(), "write, without o");
    assertEquals((p * 3) / 4 + 2L * p, s.reduceNanos(), "check + put + update, without o");
    assertEquals(6, s.coordinatorMessages());
  }

  @Test
  void starBroadcastSendsEveryCopyThroughTheCoordinatorsUplink() {
    int k = 8;
    int p = 1_000_000; // 4 MB of weights
    double x = 4.0 * p; // ns for one copy on a 1 byte/ns link
    ComputeProfile prof = profile(0, 1, 0, 0, 0, 0, 0);
    NetworkSpec gigabyte = new NetworkSpec(0, 1e9);
    StepPrediction s = predict(prof, 0,
        StepConfig.of(k, k, k, p, Placement.cluster(1)).withNetwork(gigabyte));
    assertEquals(k * x, s.timeline().broadcastPhaseNanos(), k * x * 1e-3, "K x P x 4 / B");
    // worker w has its weights at (w + 1) x, so the partials come back one x apart while the
    // uplink still sends (full duplex): only the last one is left after the last compute (its
    // pieces' headers are a few bytes longer, so the partials fall behind a little: < 0.2%)
    assertEquals(x, s.timeline().reducePhaseNanos(), x * 2e-3);
    assertEquals((k + 1) * x, s.stepNanos(), (k + 1) * x * 1e-3);
    assertEquals(2 * k * x, s.coordinatorBytes(), 2 * k * x * 1e-3);
  }

  @Test
  void treeReductionTakesOneLatencyPerLevel() {
    long latency = 100_000;
    ComputeProfile prof = profile(0, 1000, 0, 0, 0, 0, 0);
    StepConfig cfg = StepConfig.of(64, 64, 64 * 16, 100_000, Placement.cluster(1))
        .withNetwork(new NetworkSpec(latency, Double.POSITIVE_INFINITY));
    StepPrediction star = predict(prof, 0, cfg);
    StepPrediction tree = predict(prof, 0, cfg.withReduction(Reduction.tree(2)));
    // ReductionTree over 64 workers, fan-in 2: height 6 (w0 heads [1,64) -> runs of 31 and 32,
    // and so on); one more hop from the root w0 to the coordinator
    assertEquals(6, org.dtrain.coordinator.ReductionTree.of(ids(64), 2).depth());
    assertEquals(7, Reduction.tree(2).depth(64), "1 + the height of the workers' tree");
    assertEquals(latency, star.timeline().reducePhaseNanos());
    assertEquals(7 * latency, tree.timeline().reducePhaseNanos());
  }

  private static List<String> ids(int k) {
    List<String> out = new java.util.ArrayList<>();
    for (int w = 0; w < k; w++) out.add("w" + w);
    return out;
  }

  @Test
  void treeReductionReceivesOnePartialAndQueuesLessThanStar() {
    int k = 64;
    int f = 2;
    int p = 1_000_000;
    double x = 4.0 * p; // one partial on a 1 byte/ns link
    double c = 1e9;     // c(r) = 1 s
    ComputeProfile prof = profile(c, 0, 0, 0, 0, 0, 0);
    // worker w has its weights at about (w + 1) x; slowing it by (K - 1 - w) x makes all of them
    // finish at about K x + c, so every partial is sent at once
    Map<Integer, Double> slow = new java.util.HashMap<>();
    for (int w = 0; w < k; w++) slow.put(w, 1 + (k - 1 - w) * x / c);
    StepConfig cfg = StepConfig.of(k, k, k, p, Placement.cluster(1))
        .withNetwork(new NetworkSpec(0, 1e9)).withSlowWorkers(slow);
    StepPrediction star = predict(prof, 0, cfg);
    StepPrediction tree = predict(prof, 0, cfg.withReduction(Reduction.tree(f)));
    int depth = Reduction.tree(f).depth(k);
    // star: the K partials queue on the coordinator's downlink
    assertEquals(k * x, star.timeline().reducePhaseNanos(), k * x * 0.01);
    // tree: store and forward, at least one whole partial per hop; a subtree that is not aligned
    // in the shard tree forwards a few nodes (w1 holds shards [1, 32): 5 nodes), so a hop can take
    // several, but far fewer than K queue anywhere
    assertTrue(tree.timeline().reducePhaseNanos() >= depth * x, "at least one transfer per hop");
    assertTrue(tree.timeline().reducePhaseNanos() < 0.5 * star.timeline().reducePhaseNanos(),
        "tree: " + tree.timeline().reducePhaseNanos() + " ns");
    assertEquals(star.timeline().broadcastPhaseNanos(), tree.timeline().broadcastPhaseNanos(),
        "the weights go out by star either way");
    // the coordinator sends K weight copies and takes in one partial, the root w0's whole sum
    int m = WireSizes.chunks(p, CHUNK);
    assertEquals((long) k * m + m, tree.coordinatorMessages());
    assertEquals(2L * k * m, star.coordinatorMessages());
  }

  @Test
  void aThousandWorkersPredictInOnePassAndTheTreeUnloadsTheCoordinator() {
    int k = 1024;
    int p = 1_000_000;
    ComputeProfile prof = profile(20_000, 3_000, 0.1, 0.2, 0.1, 0.1, 0.5);
    StepModel model = new StepModel(new CostModel(prof, 1, 2_000));
    StepConfig cfg = StepConfig.of(k, k, k * 16, p, Placement.cluster(2))
        .withNetwork(NetworkSpec.of(50, 10));
    StepPrediction star = model.predict(cfg);
    StepPrediction tree = model.predict(cfg.withReduction(Reduction.tree(2)));
    for (StepPrediction s : List.of(star, tree)) {
      assertEquals(k, s.activeWorkers());
      assertTrue(s.stepNanos() > 0 && s.computeNanos() > 0, s.toString());
      assertTrue(Double.isFinite(s.idlePct()) && s.idlePct() >= 0 && s.idlePct() <= 100);
      assertTrue(s.timeline().broadcastPhaseNanos() <= s.stepNanos());
    }
    int m = WireSizes.chunks(p, CHUNK);
    assertEquals(2L * k * m, star.coordinatorMessages());
    assertEquals((long) k * m + m, tree.coordinatorMessages(), "K weight copies, 1 partial back");
    assertTrue(tree.coordinatorBytes() < star.coordinatorBytes());
    assertEquals(tree, model.predict(cfg.withReduction(Reduction.tree(2))), "deterministic");
  }

  @Test
  void withoutNetworkCostsStarAndTreeAreComputeBoundAndAgree() {
    ComputeProfile prof = profile(50_000, 40_000, 0.1, 0.2, 0.1, 0.1, 0.5); // c(256) ≈ 10 ms
    StepConfig cfg = StepConfig.of(16, 64, 64 * 256, 235_146, Placement.cluster(2));
    StepPrediction star = predict(prof, 0, cfg);
    StepPrediction tree = predict(prof, 0, cfg.withReduction(Reduction.tree(4)));
    double compute = 2 * prof.shardNanos(256); // 4 shards on 2 threads
    assertTrue(star.stepNanos() >= compute && tree.stepNanos() >= compute);
    assertEquals(star.stepNanos(), tree.stepNanos(), 0.03 * star.stepNanos());
    assertTrue(star.computeNanos() >= compute && star.computeNanos() < 1.02 * compute);
  }

  @Test
  void moreLatencyIsNeverFaster() {
    ComputeProfile prof = profile(20_000, 3_000, 0.1, 0.2, 0.1, 0.1, 0.5);
    for (int k : new int[] {1, 2, 8, 64}) {
      for (Reduction red : List.of(Reduction.star(), Reduction.tree(2), Reduction.tree(4))) {
        long before = 0;
        for (long latency : new long[] {0, 1_000, 10_000, 100_000, 1_000_000}) {
          StepConfig cfg = StepConfig.of(k, 64, 4096, 235_146, Placement.cluster(2))
              .withReduction(red).withNetwork(new NetworkSpec(latency, 1.25e9));
          long step = predict(prof, 2_000, cfg).stepNanos();
          assertTrue(step >= before, k + " workers, " + red.label() + ", latency " + latency
              + " ns: " + step + " < " + before);
          before = step;
        }
      }
    }
  }

  @Test
  void moreBandwidthIsNeverSlower() {
    ComputeProfile prof = profile(20_000, 3_000, 0.1, 0.2, 0.1, 0.1, 0.5);
    for (Reduction red : List.of(Reduction.star(), Reduction.tree(2))) {
      long before = Long.MAX_VALUE;
      for (double gbit : new double[] {0.1, 1, 10, 100}) {
        StepConfig cfg = StepConfig.of(32, 64, 4096, 2_000_000, Placement.cluster(2))
            .withReduction(red).withNetwork(NetworkSpec.of(50, gbit));
        long step = predict(prof, 1_000, cfg).stepNanos();
        assertTrue(step <= before, red.label() + " at " + gbit + " Gbit: " + step);
        before = step;
      }
    }
  }

  @Test
  void theSameInputsGiveTheSamePrediction() {
    ComputeProfile prof = profile(20_000, 3_000, 0.1, 0.2, 0.1, 0.1, 0.5);
    StepConfig cfg = StepConfig.of(48, 100, 5000, 1_234_567, Placement.processes(2))
        .withReduction(Reduction.tree(3)).withNetwork(NetworkSpec.of(200, 10))
        .withSlowWorkers(Map.of(5, 2.5));
    StepModel model = new StepModel(new CostModel(prof, 1.1, 3_000, 40_000, 700_000, 1_300_000));
    assertEquals(model.predict(cfg), model.predict(cfg));
    assertEquals(model.predict(cfg.withPlacement(Placement.oneJvm(2))),
        model.predict(cfg.withPlacement(Placement.oneJvm(2))));
  }

  @Test
  void workersBeyondTheShardCountAddNothing() {
    ComputeProfile prof = profile(20_000, 3_000, 0.1, 0.2, 0.1, 0.1, 0.5);
    StepConfig cfg = StepConfig.of(16, 16, 4096, 235_146, Placement.cluster(1))
        .withNetwork(NetworkSpec.of(100, 10));
    StepPrediction at16 = predict(prof, 1_000, cfg);
    StepPrediction at64 = predict(prof, 1_000, cfg.withWorkers(64));
    assertEquals(16, at64.activeWorkers());
    assertEquals(at16.stepNanos(), at64.stepNanos());
  }

  @Test
  void workersInOneJvmShareItsCores() {
    ComputeProfile prof = profile(0, 10_000, 0, 0, 0, 0, 0); // c(16) = 160 us, nothing else
    double c = prof.shardNanos(16);
    StepConfig one = StepConfig.of(1, 16, 256, 1000, Placement.oneJvm(2));
    // 16 shards on 2 cores: 8 c whether 1 worker with 2 threads, 2 with 1, or 4 taking turns
    for (int k : new int[] {1, 2, 4}) {
      assertEquals(8 * c, predict(prof, 0, one.withWorkers(k)).stepNanos(), 1, k + " workers");
    }
    assertEquals(4 * c, predict(prof, 0, one.withWorkers(4).withPlacement(Placement.cluster(1)))
        .stepNanos(), 1, "4 machines");
    // 4 workers on 2 cores: two compute first, the other two wait for a core
    assertEquals(8 * c, predict(prof, 0, one.withWorkers(4)).computeNanos(), 1);
    assertEquals(100 * (1 - 6.0 / 8), predict(prof, 0, one.withWorkers(4)).idlePct(), 1e-6);
  }

  @Test
  void aWorkersTreeAddsRunOnItsOwnThreadBesideItsShardThreads() {
    int p = 10_000;
    ComputeProfile prof = profile(100_000, 0, 1, 0, 0, 0, 0); // c = 100 us, one add a = 10 us
    long c = 100_000;
    long a = 10_000;
    StepConfig cfg = StepConfig.of(1, 4, 64, p, Placement.cluster(2));
    // shards 0, 1 on the 2 cores; at c the add 0+1 takes a core (the actor thread) and shard 2 the
    // other; shard 3 follows the add; after it, the adds 2+3 and 01+23
    assertEquals(2 * c + 3 * a, predict(prof, 0, cfg).computeNanos());
    // one core, no pool: shard, shard, add, shard, shard, add, add on the worker's one thread
    assertEquals(4 * c + 3 * a,
        predict(prof, 0, cfg.withPlacement(Placement.cluster(1))).computeNanos());
  }

  @Test
  void aSlowWorkerHoldsUpTheStep() {
    ComputeProfile prof = profile(0, 10_000, 0, 0, 0, 0, 0);
    StepConfig cfg = StepConfig.of(2, 2, 32, 1000, Placement.cluster(1));
    StepPrediction s = predict(prof, 0, cfg.withSlowWorkers(Map.of(1, 3.0)));
    assertEquals(3 * prof.shardNanos(16), s.computeNanos(), 1);
    assertEquals(3 * prof.shardNanos(16), s.stepNanos(), 1);
    assertEquals(100 * (1 - 2.0 / 3), s.idlePct(), 1e-6, "(1 + 3) / 2 of 3 computing");
  }

  @Test
  void latencyAddsOneWayThereAndBackToOneWorker() {
    ComputeProfile prof = profile(0, 10_000, 0, 0, 0, 0, 0);
    StepConfig cfg = StepConfig.of(1, 4, 64, 1000, Placement.cluster(4));
    long none = predict(prof, 0, cfg).stepNanos();
    long slow = predict(prof, 0, cfg.withNetwork(new NetworkSpec(200_000, Double.POSITIVE_INFINITY)))
        .stepNanos();
    assertEquals(2 * 200_000, slow - none);
  }

  @Test
  void onOneSharedCoreTheStepIsEveryCpuCostInTurn() {
    // One core, no network: nothing overlaps and the core never idles, so the step is the sum of
    // every CPU cost of the coordinator and the two workers, their message work included.
    int p = 100_000; // 3 pieces of 49152, 49152 and 1696 floats
    long o = 1_000;
    long pieces = 3;
    ComputeProfile prof = profile(50_000, 0, 0.5, 1, 0.5, 0.25, 2); // c = 50 us
    StepConfig cfg = StepConfig.of(2, 4, 64, p, Placement.processes(1)); // shards 0-1 and 2-3
    long worker = pieces * o + p / 2    // take the weights in: o and a put (0.5 ns/float) a piece
        + 2 * 50_000 + p / 2             // its two shards and the add of the pair
        + p + pieces * o;                // copy its one partial, send its pieces
    long coordinator = 2 * pieces * o      // send the weights to both workers
        + 2 * (pieces * o + 3L * p / 4)    // take both partials in: o, check and put a piece
        + 2L * p;                          // the step from the two (it adds them, copies the weights out)
    assertEquals(coordinator + 2 * worker, predict(prof, o, cfg).stepNanos());
    assertTrue(predict(prof, o, cfg.withPlacement(Placement.cluster(1))).stepNanos()
        < coordinator + worker, "a machine each: the workers' work overlaps");
  }

  @Test
  void twoWorkerProcessesAndABusyCoordinatorOnTwoCoresTakeLongerThanACluster() {
    // weights and partials of 2 pieces each, 1 ms of o per piece at either end, and one shard of
    // 2 ms per worker; no other cost
    long ms = 1_000_000;
    ComputeProfile prof = profile(2 * ms, 0, 0, 0, 0, 0, 0);
    StepConfig cfg = StepConfig.of(2, 2, 32, 2 * CHUNK, Placement.processes(2).withThreads(1));
    // a machine each: the coordinator sends w0's pieces until 1 and 2, w1's until 3 and 4; w0 takes
    // them in until 3, computes until 5, sends until 7; w1 takes them in until 5, computes until
    // 7, sends until 9; the coordinator takes w0's pieces in until 8 and w1's until 10
    assertEquals(10 * ms, predict(prof, ms, cfg.withPlacement(Placement.cluster(1))).stepNanos());
    // two cores for all three: from 3 the coordinator sends w1's second piece while w0 computes,
    // so w1's first piece, there at 3, waits for a core until 4, and w1 is a ms late from there on
    StepPrediction shared = predict(prof, ms, cfg);
    assertEquals(11 * ms, shared.stepNanos());
    assertEquals(6 * ms, shared.timeline().weightsInNanos(), "w1 has its weights at 6, not 5");
    // without message work only the two shards run, one per core: the same either way
    assertEquals(2 * ms, predict(prof, 0, cfg).stepNanos());
    assertEquals(2 * ms, predict(prof, 0, cfg.withPlacement(Placement.cluster(1))).stepNanos());
  }

  @Test
  void whereNoMoreThreadsHaveWorkThanThereAreCoresOneMachineIsACluster() {
    ComputeProfile prof = profile(20_000, 3_000, 0.1, 0.2, 0.1, 0.1, 0.5);
    StepConfig cluster = StepConfig.of(2, 16, 256, 235_146, Placement.cluster(1));
    StepPrediction apart = predict(prof, 0, cluster);
    // one JVM, its messages by reference (o = 0): the coordinator works while the workers wait
    StepPrediction oneJvm = predict(prof, 0, cluster.withPlacement(Placement.oneJvm(2).withThreads(1)));
    assertEquals(apart.stepNanos(), oneJvm.stepNanos());
    assertEquals(apart.timeline(), oneJvm.timeline());
    // a core for each worker and one for the coordinator: message work cannot contend either
    StepConfig three = cluster.withPlacement(Placement.processes(3).withThreads(1));
    assertEquals(predict(prof, 5_000, cluster).timeline(), predict(prof, 5_000, three).timeline());
  }

  @Test
  void workerProcessesShareTheCoresWithTheJvmsBackgroundThreads() {
    long ms = 1_000_000;
    ComputeProfile prof = profile(ms, 0, 0, 0, 0, 0, 0); // 1 ms a shard, nothing else
    StepModel plain = new StepModel(new CostModel(prof, 1, 0));
    // the coordinator's JVM 2 ms of background CPU per step, each worker's JVM 3 ms
    StepModel busy = new StepModel(new CostModel(prof, 1, 0).withBackground(2 * ms, 3 * ms));
    StepConfig one = StepConfig.of(1, 8, 128, 1000, Placement.processes(2).withThreads(1));
    // one worker: at the start the two JVMs' first slices take both cores (the weights arrive a
    // moment later), so the 8 shards start a slice late; after that the background runs on the
    // core the worker leaves free
    assertEquals(8 * ms, plain.predict(one).stepNanos());
    assertEquals(8 * ms + StepSimulation.BACKGROUND_SLICE_NANOS, busy.predict(one).stepNanos());
    // two workers fill both cores: 8 ms of shards and 2 + 2 x 3 ms of background on 2 cores
    StepConfig two = one.withWorkers(2);
    assertEquals(4 * ms, plain.predict(two).stepNanos());
    assertEquals(8 * ms, busy.predict(two).stepNanos());
    // in one JVM and in a cluster no background is charged
    for (Placement other : List.of(Placement.oneJvm(2).withThreads(1), Placement.cluster(1))) {
      assertEquals(plain.predict(two.withPlacement(other)), busy.predict(two.withPlacement(other)),
          other.toString());
    }
  }

  @Test
  void clusterPredictionsAreWhatTheyWereBeforeOneMachinesCoresWereShared() {
    // numbers of the model before every CPU cost on a shared machine went onto its cores (commit
    // 5719167): a cluster's hosts have cores of their own, so nothing may have moved; except that
    // since the update copies the new weights out in its pass, the coordinator's separate copy at
    // the start of a step (P α_snap: 47,029 ns here, 200,000 ns below) is gone, and so is the star's
    // root addition, made in the update's pass since (P α_add: 100,000 ns below)
    ComputeProfile prof = profile(20_000, 3_000, 0.1, 0.2, 0.1, 0.1, 0.5);
    StepModel model = new StepModel(new CostModel(prof, 1.1, 3_000, 500_000));
    StepPrediction tree = model.predict(StepConfig.of(8, 64, 4096, 235_146, Placement.cluster(2))
        .withReduction(Reduction.tree(3)).withNetwork(NetworkSpec.of(200, 10))
        .withSlowWorkers(Map.of(5, 2.5)));
    assertEquals(11_857_887, tree.stepNanos());
    assertEquals(2_743_507, tree.computeNanos());
    assertEquals(new StepPrediction.Timeline(6_231_790, 7_469_813, 11_857_887), tree.timeline());
    StepModel big = new StepModel(new CostModel(prof, 1, 2_000));
    StepConfig k1024 = StepConfig.of(1024, 1024, 1024 * 16, 1_000_000, Placement.cluster(2))
        .withNetwork(NetworkSpec.of(50, 10));
    assertEquals(3_283_274_149L, big.predict(k1024).stepNanos());
    assertEquals(3_317_554_553L, big.predict(k1024.withReduction(Reduction.tree(2))).stepNanos());
  }
}
