package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
  private static final Activation ID = Activation.of(Activation.Kind.IDENTITY);

  @Test
  void countsEveryWeightAndBias() {
    ModelSpec m = ModelSpec.of(new int[] {784, 256, 128, 10}, Activation.of(Activation.Kind.RELU),
        Activation.of(Activation.Kind.SOFTMAX), Loss.CROSS_ENTROPY);
    assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, m.parameterCount());
  }

  @Test
  void aModelWhoseParameterCountOverflowsAnIntIsRefused() {
    // 65536 x 65536 + 65536 = 2^32 + 2^16: as an int this wrapped around to 65536
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec(List.of(new LayerSpec(65536, 65536, ID)), Loss.MSE));
    assertTrue(e.getMessage().contains("4295032832 parameters"), e.getMessage());
    // several layers that only overflow together
    assertThrows(IllegalArgumentException.class,
        () -> ModelSpec.of(new int[] {40000, 30000, 40000}, ID, ID, Loss.MSE));
    // the largest count that fits is fine
    assertEquals(Integer.MAX_VALUE,
        new ModelSpec(List.of(new LayerSpec(1, 715827882, ID), new LayerSpec(715827882, 1, ID)),
            Loss.MSE).parameterCount());
  }
}
