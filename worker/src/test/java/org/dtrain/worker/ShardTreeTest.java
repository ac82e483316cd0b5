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
import org.junit.jupiter.api.Test;

class ShardTreeTest {
  /** Two parameters, w and b. */
  private static final ModelSpec ONE = ModelSpec.of(new int[] {1, 1},
      Activation.of(Activation.Kind.IDENTITY), Activation.of(Activation.Kind.IDENTITY), Loss.MSE);

  private static void leaf(ShardTree t, int shard, float v) {
    t.buffer(shard).values().put(0, v).put(1, v);
    t.complete(shard, 0, new BatchStats(1, v, 0));
  }

  /** The tree written out: level by level, i += i + stride. */
  private static float reference(float[] v) {
    float[] p = v.clone();
    for (int stride = 1; stride < p.length; stride *= 2) {
      for (int i = 0; i + stride < p.length; i += 2 * stride) p[i] += p[i + stride];
    }
    return p[0];
  }

  /** One value per shard, magnitudes 1 to 1e7 apart, so that the order of the additions shows. */
  private static float[] leafValues(Random r, int shards) {
    float[] v = new float[shards];
    for (int i = 0; i < shards; i++) v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8)));
    return v;
  }

  private static List<Integer> shardIds(int shards) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < shards; i++) ids.add(i);
    return ids;
  }

  @Test
  void addsInTheFixedPairwiseOrderOverShardIds() {
    // 1e8 + 1 + 1 loses the ones unless they are paired first
    float[] v = {1e8f, -1e8f, 1f, 1f, 0.5f};
    ShardTree t = new ShardTree(ONE, v.length);
    for (int s = 0; s < v.length; s++) leaf(t, s, v[s]);
    assertTrue(t.isComplete());
    assertEquals(((v[0] + v[1]) + (v[2] + v[3])) + v[4], t.root().values().get(0), 0f);
    assertEquals(2.5f, t.root().values().get(0), 0f);
    assertEquals(5, t.rootStats().samples());
  }

  @Test
  void arrivalOrderNeverChangesABit() {
    Random r = new Random(7);
    for (int shards = 1; shards <= 19; shards++) {
      float[] v = leafValues(r, shards);
      float expected = reference(v);
      List<Integer> order = shardIds(shards);
      for (int round = 0; round < 20; round++) {
        Collections.shuffle(order, r);
        ShardTree t = new ShardTree(ONE, shards);
        for (int s : order) {
          assertFalse(t.isComplete());
          leaf(t, s, v[s]);
        }
        assertTrue(t.isComplete());
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(t.root().values().get(0)),
            "shards " + shards + " order " + order);
      }
    }
  }

  @Test
  void aDeferredRootAdditionMadeByTheReaderHasTheRootsBits() {
    Random r = new Random(5);
    for (int shards = 1; shards <= 19; shards++) {
      float[] v = leafValues(r, shards);
      float expected = reference(v);
      List<Integer> order = shardIds(shards);
      Collections.shuffle(order, r);
      ShardTree t = new ShardTree(ONE, shards, true);
      for (int s : order) leaf(t, s, v[s]);
      ShardTree.Halves h = t.rootHalves();
      assertEquals(shards == 1, h.right() == null, "shards " + shards);
      float left = h.left().values().get(0);
      float sum = h.right() == null ? left : left + h.right().values().get(0);
      assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(sum), "shards " + shards);
      if (shards > 1) {
        int half = Integer.highestOneBit(shards - 1);
        assertEquals(Float.floatToIntBits(reference(java.util.Arrays.copyOf(v, half))),
            Float.floatToIntBits(left), "the left half is left as it is, shards " + shards);
      }
      assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(t.root().values().get(0)),
          "root() makes the addition, shards " + shards);
      assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(t.root().values().get(0)),
          "once, shards " + shards);
      assertEquals(shards, t.rootStats().samples());
    }
  }

  @Test
  void workersSendTheirAlignedSubtreesAndTheCoordinatorFinishesTheTree() {
    Random r = new Random(11);
    int shards = 13;
    float[] v = new float[shards];
    for (int i = 0; i < shards; i++) v[i] = (float) (r.nextGaussian() * 1e4);
    float expected = reference(v);
    for (int workers = 1; workers <= shards; workers++) {
      ShardTree coordinator = new ShardTree(ONE, shards);
      List<ShardTree.Node> sent = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        ShardTree local = new ShardTree(ONE, shards);
        for (int s = w * shards / workers; s < (w + 1) * shards / workers; s++) leaf(local, s, v[s]);
        sent.addAll(local.tops());
      }
      Collections.shuffle(sent, r);
      for (ShardTree.Node n : sent) {
        coordinator.buffer(n.first()).copyFrom(n.sum());
        coordinator.complete(n.first(), n.level(), n.stats());
      }
      assertTrue(coordinator.isComplete());
      assertEquals(Float.floatToIntBits(expected),
          Float.floatToIntBits(coordinator.root().values().get(0)), workers + " workers");
    }
  }

  @Test
  void aHostedAlignedBlockIsSentAsOnePartial() {
    ShardTree t = new ShardTree(ONE, 8);
    for (int s = 4; s < 8; s++) leaf(t, s, s);
    List<ShardTree.Node> tops = t.tops();
    assertEquals(1, tops.size());
    assertEquals(4, tops.get(0).first());
    assertEquals(2, tops.get(0).level());

    ShardTree odd = new ShardTree(ONE, 8);
    for (int s = 1; s < 4; s++) leaf(odd, s, s); // [1, 4): leaf 1 and the pair [2, 4)
    assertEquals(List.of(1, 2), odd.tops().stream().map(ShardTree.Node::first).toList());
  }

  @Test
  void overlappingOrMisalignedNodesAreRefused() {
    ShardTree t = new ShardTree(ONE, 8);
    leaf(t, 2, 1f);
    assertFalse(t.isFree(2, 1));
    assertThrows(IllegalArgumentException.class, () -> t.complete(2, 0, BatchStats.EMPTY));
    assertThrows(IllegalArgumentException.class, () -> t.complete(0, 2, BatchStats.EMPTY));
    assertThrows(IllegalArgumentException.class, () -> t.complete(1, 1, BatchStats.EMPTY));
    assertThrows(IllegalArgumentException.class, () -> t.complete(8, 0, BatchStats.EMPTY));
    assertThrows(IllegalArgumentException.class, () -> t.complete(0, 4, BatchStats.EMPTY));
  }

  @Test
  void rootLevels() {
    assertEquals(0, ShardTree.levelsFor(1));
    assertEquals(1, ShardTree.levelsFor(2));
    assertEquals(2, ShardTree.levelsFor(3));
    assertEquals(2, ShardTree.levelsFor(4));
    assertEquals(3, ShardTree.levelsFor(5));
    assertEquals(4, ShardTree.levelsFor(16));
    assertEquals(5, ShardTree.levelsFor(17));
  }
}
