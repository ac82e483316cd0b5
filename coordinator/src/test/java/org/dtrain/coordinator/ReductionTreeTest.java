package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.dtrain.nn.Activation;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Parameters;
import org.junit.jupiter.api.Test;

class ReductionTreeTest {
  private static final ModelSpec ONE = ModelSpec.of(new int[] {1, 1},
      Activation.of(Activation.Kind.IDENTITY), Activation.of(Activation.Kind.IDENTITY), Loss.MSE);

  private static Parameters value(float v) {
    Parameters p = Parameters.zeros(ONE); // two parameters: w and b
    p.values().put(0, v);
    p.values().put(1, v);
    return p;
  }

  @Test
  void addsInTheFixedPairwiseOrderOverShardIds() {
    // Values chosen so that float addition order shows: 1e8 + 1 + 1 ... loses the ones unless paired first.
    float[] v = {1e8f, -1e8f, 1f, 1f, 0.5f};
    List<Parameters> partials = new ArrayList<>();
    for (float x : v) partials.add(value(x));
    float expected = ((v[0] + v[1]) + (v[2] + v[3])) + v[4];
    assertEquals(expected, ReductionTree.reduce(partials).values().get(0), 0f);
    assertEquals(2.5f, expected, 0f);
  }

  @Test
  void aSinglePartialIsItsOwnSum() {
    List<Parameters> one = new ArrayList<>(List.of(value(3f)));
    assertEquals(3f, ReductionTree.reduce(one).values().get(0), 0f);
  }
}
