package org.dtrain.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.dtrain.nn.Activation;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.ShardGradients;
import org.dtrain.worker.PartialAssembly.Outcome;
import org.junit.jupiter.api.Test;

/**
 * One worker's share of tree reduction: its own leaves and its children's partials (chunks, any
 * order) are added in the fixed shard tree, and it forwards only when every expected shard is in.
 */
class PartialCombinerTest {
  /** 2-3-2: 17 parameters. */
  private static final ModelSpec SPEC = ModelSpec.of(new int[] {2, 3, 2},
      Activation.of(Activation.Kind.TANH), Activation.of(Activation.Kind.SOFTMAX),
      Loss.CROSS_ENTROPY);
  private static final int N = SPEC.parameterCount();
  private static final int SHARDS = 8;

  /** Leaf values that lose bits when added in another order. */
  private static float[] leaf(int shard) {
    float[] v = new float[N];
    for (int i = 0; i < N; i++) {
      v[i] = (float) (Math.sin(1 + shard * 31 + i) * Math.pow(10, (shard * 7 + i) % 9 - 4));
    }
    return v;
  }

  private static BatchStats stats(int shard) {
    return new BatchStats(shard + 1, 0.1 * (shard + 1), shard);
  }

  /** The whole tree's root, all leaves added here (what the star coordinator computes). */
  private static ShardTree.Node reference() {
    ShardTree t = new ShardTree(SPEC, SHARDS);
    for (int s = 0; s < SHARDS; s++) own(t, s);
    return t.tops().get(0);
  }

  private static void own(ShardTree t, int shard) {
    t.buffer(shard).values().put(0, leaf(shard));
    t.complete(shard, 0, stats(shard));
  }

  /** The partial of node (first, level) from {@code worker}, all leaves under it added in a tree. */
  private static ShardGradients partial(String worker, int first, int level) {
    ShardTree t = new ShardTree(SPEC, SHARDS);
    for (int s = first; s < t.end(first, level); s++) own(t, s);
    ShardTree.Node n = t.tops().get(0);
    return new ShardGradients(Header.of("j", 1), worker, first, level, n.stats().samples(),
        n.stats().lossSum(), n.stats().correct(), 5, 1, FloatChunk.copyOf(n.sum().values(), N));
  }

  private static List<ShardGradients> chunks(ShardGradients g, int max) {
    List<ShardGradients> out = new ArrayList<>();
    for (FloatChunk c : g.gradient().pieces(max)) {
      out.add(new ShardGradients(g.header(), g.workerId(), g.first(), g.level(), g.samples(),
          g.lossSum(), g.correct(), g.computeNanos(), g.receiveNanos(), c));
    }
    return out;
  }

  private static void assertSameNode(ShardTree.Node expected, ShardTree.Node actual) {
    assertEquals(expected.first(), actual.first());
    assertEquals(expected.level(), actual.level());
    for (int i = 0; i < N; i++) {
      assertEquals(Float.floatToRawIntBits(expected.sum().values().get(i)),
          Float.floatToRawIntBits(actual.sum().values().get(i)), "value " + i);
    }
    assertEquals(expected.stats().samples(), actual.stats().samples());
    assertEquals(Double.doubleToRawLongBits(expected.stats().lossSum()),
        Double.doubleToRawLongBits(actual.stats().lossSum()));
    assertEquals(expected.stats().correct(), actual.stats().correct());
  }

  @Test
  void ownLeavesAndChildrenInAnyOrderGiveTheStarBits() {
    // this worker: shards 0, 1; child "b": [2, 4) as one node; child "c": 4, 5 and [6, 8)
    Random r = new Random(3);
    for (int round = 0; round < 30; round++) {
      List<ShardGradients> in = new ArrayList<>(chunks(partial("b", 2, 1), 5));
      in.addAll(chunks(partial("c", 4, 0), 4));
      in.addAll(chunks(partial("c", 5, 0), 17));
      in.addAll(chunks(partial("c", 6, 1), 3));
      Collections.shuffle(in, r);
      int ownAt = r.nextInt(in.size() + 1); // own leaves before, between or after the children's
      PartialCombiner c = new PartialCombiner(new ShardTree(SPEC, SHARDS), N, List.of(0, 1),
          List.of(2, 3, 4, 5, 6, 7), List.of("b", "c"));
      for (int i = 0; i <= in.size(); i++) {
        if (i == ownAt) {
          own(c.tree(), 0);
          own(c.tree(), 1);
          c.ownComputed(7, 2);
        }
        if (i < in.size()) {
          assertFalse(c.isComplete(), "complete before every partial is in");
          assertEquals(Outcome.ACCEPTED, c.accept(in.get(i)));
        }
      }
      assertTrue(c.isComplete());
      List<ShardTree.Node> tops = c.tops();
      assertEquals(1, tops.size(), "shards [0, 8) are one node");
      assertSameNode(reference(), tops.get(0));
      assertEquals(7, c.computeNanos(), "the longest compute time of the subtree");
      assertEquals(2, c.receiveNanos());
    }
  }

  @Test
  void forwardsTheNodesItHoldsWhenTheyAreNoSingleSubtree() {
    // shards 1 and 2 here, child 3: tops (1, 0) and (2, 1), as the coordinator would receive them
    PartialCombiner c = new PartialCombiner(new ShardTree(SPEC, SHARDS), N, List.of(1, 2),
        List.of(3), List.of("b"));
    own(c.tree(), 1);
    own(c.tree(), 2);
    c.ownComputed(1, 1);
    assertFalse(c.isComplete());
    assertEquals(Outcome.ACCEPTED, c.accept(partial("b", 3, 0)));
    assertTrue(c.isComplete());
    assertEquals(List.of("1/0", "2/1"),
        c.tops().stream().map(n -> n.first() + "/" + n.level()).toList());
  }

  @Test
  void waitsForItsOwnShardsEvenWhenEveryChildIsIn() {
    PartialCombiner c = new PartialCombiner(new ShardTree(SPEC, SHARDS), N, List.of(0),
        List.of(1), List.of("b"));
    assertEquals(Outcome.ACCEPTED, c.accept(partial("b", 1, 0)));
    assertFalse(c.isComplete());
    own(c.tree(), 0);
    c.ownComputed(1, 1);
    assertTrue(c.isComplete());
  }

  @Test
  void aWorkerWithoutChildrenIsCompleteWithItsOwnShards() {
    PartialCombiner c = new PartialCombiner(new ShardTree(SPEC, SHARDS), N, List.of(6, 7),
        List.of(), List.of());
    own(c.tree(), 6);
    own(c.tree(), 7);
    c.ownComputed(1, 1);
    assertTrue(c.isComplete());
    assertEquals(6, c.tops().get(0).first());
    assertEquals(1, c.tops().get(0).level());
  }

  @Test
  void strangersAndPartialsOfShardsNotAwaitedAreRejected() {
    PartialCombiner c = new PartialCombiner(new ShardTree(SPEC, SHARDS), N, List.of(0, 1),
        List.of(2, 3), List.of("b"));
    assertEquals(Outcome.REJECTED, c.accept(partial("x", 2, 1)));
    assertTrue(c.lastProblem().contains("no child"), c.lastProblem());
    assertEquals(Outcome.REJECTED, c.accept(partial("b", 0, 2)));
    assertTrue(c.lastProblem().contains("not awaited"), c.lastProblem());
    assertEquals(Outcome.REJECTED, c.accept(partial("b", 4, 0)));
    assertEquals(Outcome.REJECTED, c.accept(partial("b", 1, 1)), "(1, 1) is no node");
    assertEquals(Outcome.ACCEPTED, c.accept(partial("b", 2, 0)));
    assertEquals(Outcome.DUPLICATE, c.accept(partial("b", 2, 0)), "sent twice");
    assertEquals(Outcome.DUPLICATE, c.accept(partial("b", 2, 1)), "overlaps shard 2, in");
    assertEquals(Outcome.ACCEPTED, c.accept(partial("b", 3, 0)));
  }

  @Test
  void ownAndAwaitedShardsMustBeDisjointAndExist() {
    assertThrows(IllegalArgumentException.class, () -> new PartialCombiner(
        new ShardTree(SPEC, SHARDS), N, List.of(0, 1), List.of(1, 2), List.of("b")));
    assertThrows(IllegalArgumentException.class, () -> new PartialCombiner(
        new ShardTree(SPEC, SHARDS), N, List.of(8), List.of(), List.of()));
    assertThrows(IllegalArgumentException.class, () -> new PartialCombiner(
        new ShardTree(SPEC, SHARDS), N, List.of(0), List.of(-1), List.of("b")));
  }
}
