package org.dtrain.scale.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.dtrain.nn.Activation;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.worker.ShardTree;
import org.junit.jupiter.api.Test;

/** {@link TreeShape} follows the real {@link ShardTree}: same tops, same completion, S - 1 adds. */
class PredictionTreeShapeTest {
  private static final ModelSpec SPEC = ModelSpec.of(new int[] {2, 2},
      Activation.of(Activation.Kind.IDENTITY), Activation.of(Activation.Kind.IDENTITY), Loss.MSE);

  @Test
  void sameTopsAsTheRealTreeInAnyOrder() {
    Random rnd = new Random(7);
    for (int s : new int[] {1, 2, 3, 5, 8, 13, 16, 33}) {
      for (int trial = 0; trial < 10; trial++) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < s; i++) order.add(i);
        Collections.shuffle(order, rnd);
        int stop = rnd.nextInt(s) + 1; // complete a prefix of the shuffled shards
        ShardTree real = new ShardTree(SPEC, s);
        TreeShape shape = new TreeShape(s);
        int adds = 0;
        for (int i = 0; i < stop; i++) {
          real.complete(order.get(i), 0, BatchStats.EMPTY);
          adds += shape.complete(order.get(i), 0);
        }
        List<String> want = real.tops().stream().map(n -> n.first() + "/" + n.level()).toList();
        List<String> got = shape.tops().stream().map(t -> t[0] + "/" + t[1]).toList();
        assertEquals(want, got, s + " shards, " + order.subList(0, stop));
        assertEquals(real.isComplete(), shape.isComplete());
        assertEquals(stop - got.size(), adds, "every add joins two nodes into one");
      }
    }
  }

  @Test
  void completingSubtreesAddsTheRest() {
    TreeShape t = new TreeShape(8);
    assertEquals(0, t.complete(4, 2)); // shards 4..7 as one partial
    assertEquals(0, t.complete(0, 1));
    assertEquals(2, t.complete(2, 1)); // (0,1)+(2,1), then (0,2)+(4,2)
    assertEquals(true, t.isComplete());
  }
}
