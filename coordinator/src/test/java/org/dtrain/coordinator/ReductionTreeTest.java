package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.dtrain.nn.Activation;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.worker.PartialAssembly;
import org.dtrain.worker.PartialCombiner;
import org.dtrain.worker.ShardTree;
import org.junit.jupiter.api.Test;

/**
 * The workers' reduction tree: its shape for 1 to 9 workers and fan-in 2, 3 and 4, and, with a
 * {@link PartialCombiner} on every worker and messages delivered in random order, the very bits the
 * star coordinator adds up.
 */
class ReductionTreeTest {
  private static List<String> workers(int k) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < k; i++) out.add("w" + i);
    return out;
  }

  @Test
  void everyWorkerButTheRootHasOneParentAndNoWorkerMoreThanFanInChildren() {
    for (int fanIn = 2; fanIn <= 4; fanIn++) {
      for (int k = 1; k <= 9; k++) {
        List<String> ws = workers(k);
        ReductionTree t = ReductionTree.of(ws, fanIn);
        String what = "K=" + k + " fan-in " + fanIn;
        assertEquals("w0", t.root(), what);
        assertNull(t.parent("w0"), what);
        Set<String> reached = new HashSet<>(List.of("w0"));
        for (String w : ws) {
          assertTrue(t.children(w).size() <= fanIn, what + ": children of " + w);
          for (String c : t.children(w)) {
            assertEquals(w, t.parent(c), what);
            assertTrue(reached.add(c), what + ": " + c + " has two parents");
          }
          // a subtree is a contiguous run of the order, right after its root
          List<String> below = t.descendants(w);
          int at = ws.indexOf(w);
          assertEquals(ws.subList(at + 1, at + 1 + below.size()), below, what + ": below " + w);
          int size = 0;
          for (String c : t.children(w)) size += 1 + t.descendants(c).size();
          assertEquals(below.size(), size, what + ": the children's subtrees make up " + w + "'s");
        }
        assertEquals(k, reached.size(), what + ": every worker reaches the root");
        // as shallow as fan-in allows: a full tree of this depth would hold at least K workers
        int d = t.depth();
        long full = 0;
        for (int i = 0, n = 1; i <= d; i++, n *= fanIn) full += n;
        assertTrue(full >= k, what + ": depth " + d);
        assertTrue(d <= k - 1, what);
      }
    }
  }

  @Test
  void shapesByHand() {
    ReductionTree seven = ReductionTree.of(workers(7), 2);
    assertEquals(List.of("w1", "w4"), seven.children("w0"));
    assertEquals(List.of("w2", "w3"), seven.children("w1"));
    assertEquals(List.of("w5", "w6"), seven.children("w4"));
    assertEquals(2, seven.depth());

    ReductionTree nine = ReductionTree.of(workers(9), 3);
    assertEquals(List.of("w1", "w3", "w6"), nine.children("w0"));
    assertEquals(List.of("w2"), nine.children("w1"));
    assertEquals(List.of("w4", "w5"), nine.children("w3"));
    assertEquals(List.of("w7", "w8"), nine.children("w6"));

    ReductionTree one = ReductionTree.of(workers(1), 2);
    assertEquals(List.of(), one.children("w0"));
    assertEquals(0, one.depth());

    ReductionTree four = ReductionTree.of(workers(4), 4);
    assertEquals(List.of("w1", "w2", "w3"), four.children("w0"), "a star below the root");
  }

  @Test
  void badInput() {
    assertThrows(IllegalArgumentException.class, () -> ReductionTree.of(List.of(), 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReductionTree.of(workers(3), 1));
    assertTrue(e.getMessage().contains("--fan-in"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ReductionTree.of(List.of("a", "a"), 2));
    assertThrows(IllegalArgumentException.class, () -> ReductionTree.of(workers(2), 2).parent("x"));
  }

  // ---- the tree of combiners against the star coordinator -------------------------------------------

  /** 2-3-2: 17 parameters. */
  private static final ModelSpec SPEC = ModelSpec.of(new int[] {2, 3, 2},
      Activation.of(Activation.Kind.TANH), Activation.of(Activation.Kind.SOFTMAX),
      Loss.CROSS_ENTROPY);
  private static final int N = SPEC.parameterCount();

  /** Leaf values over many magnitudes: another order of additions shows in the bits. */
  private static float[] leaf(Random r) {
    float[] v = new float[N];
    for (int i = 0; i < N; i++) v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
    return v;
  }

  /** A message from {@code from} for each node, cut into chunks of random size. */
  private static List<ShardGradients> messages(String from, List<ShardTree.Node> nodes, Random r) {
    List<ShardGradients> out = new ArrayList<>();
    for (ShardTree.Node n : nodes) {
      FloatChunk whole = FloatChunk.copyOf(n.sum().values(), N);
      for (FloatChunk c : whole.pieces(1 + r.nextInt(N))) {
        out.add(new ShardGradients(Header.of("j", 1), from, n.first(), n.level(),
            n.stats().samples(), n.stats().lossSum(), n.stats().correct(), 1, 1, c));
      }
    }
    return out;
  }

  private record Letter(String to, ShardGradients g) {}

  /**
   * Every worker computes its leaves into a combiner; messages travel in random order; the root's
   * nodes go to a star coordinator's collector. The sum and statistics must be the bits of all
   * leaves added by the star coordinator.
   */
  private static void treeEqualsStar(int shards, Map<String, List<Integer>> assignment,
      int fanIn, Random r) {
    float[][] leaves = new float[shards][];
    for (int s = 0; s < shards; s++) leaves[s] = leaf(r);
    StepCollector star = new StepCollector(SPEC, shards);
    for (int s = 0; s < shards; s++) {
      ShardTree one = new ShardTree(SPEC, shards);
      one.buffer(s).values().put(0, leaves[s]);
      one.complete(s, 0, new BatchStats(s + 1, s * 0.25, s));
      for (ShardGradients g : messages("w-star", one.tops(), r)) star.accept(g);
    }
    assertTrue(star.isComplete());

    List<String> order = new ArrayList<>(assignment.keySet());
    ReductionTree tree = ReductionTree.of(order, fanIn);
    Map<String, PartialCombiner> combiners = new HashMap<>();
    Deque<Letter> inFlight = new ArrayDeque<>();
    List<Letter> pending = new ArrayList<>();
    for (String w : order) {
      List<Integer> awaited = new ArrayList<>();
      for (String d : tree.descendants(w)) awaited.addAll(assignment.get(d));
      PartialCombiner c = new PartialCombiner(new ShardTree(SPEC, shards), N, assignment.get(w),
          awaited, tree.children(w));
      combiners.put(w, c);
    }
    StepCollector coordinator = new StepCollector(SPEC, shards);
    // workers finish their own shards at random moments among the deliveries
    List<String> toCompute = new ArrayList<>(order);
    Collections.shuffle(toCompute, r);
    while (!toCompute.isEmpty() || !pending.isEmpty()) {
      boolean compute = pending.isEmpty() || (!toCompute.isEmpty() && r.nextInt(3) == 0);
      String done;
      if (compute) {
        done = toCompute.remove(toCompute.size() - 1);
        PartialCombiner c = combiners.get(done);
        for (int s : assignment.get(done)) {
          c.tree().buffer(s).values().put(0, leaves[s]);
          c.tree().complete(s, 0, new BatchStats(s + 1, s * 0.25, s));
        }
        c.ownComputed(1, 1);
      } else {
        Letter l = pending.remove(r.nextInt(pending.size()));
        if (l.to() == null) {
          assertEquals(StepCollector.Outcome.ACCEPTED, coordinator.accept(l.g()));
          continue;
        }
        assertEquals(PartialAssembly.Outcome.ACCEPTED, combiners.get(l.to()).accept(l.g()));
        done = l.to();
      }
      PartialCombiner c = combiners.get(done);
      if (c != null && c.isComplete()) {
        combiners.remove(done);
        for (ShardGradients g : messages(done, c.tops(), r)) {
          pending.add(new Letter(tree.parent(done), g));
        }
      }
    }
    assertTrue(combiners.isEmpty(), "every worker forwarded");
    assertTrue(coordinator.isComplete(), "the root delivered every shard");
    float[] e = star.sum().toArray();
    float[] a = coordinator.sum().toArray();
    for (int i = 0; i < N; i++) {
      assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), "value " + i);
    }
    assertEquals(star.stats().samples(), coordinator.stats().samples());
    assertEquals(Double.doubleToRawLongBits(star.stats().lossSum()),
        Double.doubleToRawLongBits(coordinator.stats().lossSum()));
    assertEquals(star.stats().correct(), coordinator.stats().correct());
  }

  @Test
  void combinersOnEveryWorkerGiveTheStarBitsInAnyArrivalOrder() {
    Random r = new Random(42);
    for (int fanIn = 2; fanIn <= 4; fanIn++) {
      for (int k = 1; k <= 9; k++) {
        for (int shards : new int[] {k, 13, 16}) {
          if (shards < k) continue;
          Map<String, List<Integer>> even = ShardAssignment.evenly(shards, workers(k));
          for (int round = 0; round < 5; round++) treeEqualsStar(shards, even, fanIn, r);
        }
      }
    }
  }

  @Test
  void aScatteredAssignmentGivesTheSameBitsToo() {
    // after rebalances, a worker's shards need not be contiguous
    Random r = new Random(7);
    for (int fanIn = 2; fanIn <= 3; fanIn++) {
      for (int k = 2; k <= 6; k++) {
        List<Integer> ids = new ArrayList<>();
        for (int s = 0; s < 16; s++) ids.add(s);
        Collections.shuffle(ids, r);
        Map<String, List<Integer>> scattered = new java.util.LinkedHashMap<>();
        for (int w = 0; w < k; w++) {
          scattered.put("w" + w, ids.subList(w * 16 / k, (w + 1) * 16 / k).stream().sorted()
              .toList());
        }
        for (int round = 0; round < 5; round++) treeEqualsStar(16, scattered, fanIn, r);
      }
    }
  }
}
