package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dtrain.nn.Activation;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Initializer;
import org.dtrain.nn.Loss;
import org.dtrain.nn.LrSchedule;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.OptimizerConfig;
import org.dtrain.nn.Parameters;
import org.junit.jupiter.api.Test;

/** The training loop's state machine: next() and apply() alternate, result() only at the end. */
class TrainingLoopTest {
  private static final ModelSpec SPEC = ModelSpec.of(new int[] {2, 3, 1},
      Activation.of(Activation.Kind.SIGMOID), Activation.of(Activation.Kind.SIGMOID), Loss.MSE);

  private static TrainingLoop loop(long steps, int stepsPerEpoch) {
    return loop(steps, stepsPerEpoch, new TrainingListener() {});
  }

  private static TrainingLoop loop(long steps, int stepsPerEpoch, TrainingListener listener) {
    TrainingPlan plan = new TrainingPlan(SPEC, OptimizerConfig.of(OptimizerConfig.Kind.SGD),
        LrSchedule.constant(0.1f), 5, stepsPerEpoch, steps,
        false, true);
    return new TrainingLoop(plan, null, listener);
  }

  private static Parameters grad(float v) {
    Parameters g = Parameters.zeros(SPEC);
    for (int i = 0; i < g.count(); i++) g.values().put(i, v);
    return g;
  }

  private static final BatchStats STATS = new BatchStats(4, 1.0, 2);
  private static final StepTimes TIMES = new StepTimes(1000, 10, 10, 1.0);

  @Test
  void nextTwiceWithoutApplyIsAnError() {
    TrainingLoop l = loop(3, 2);
    l.next();
    IllegalStateException e = assertThrows(IllegalStateException.class, l::next);
    assertTrue(e.getMessage().contains("not applied"), e.getMessage());
  }

  @Test
  void applyWithoutNextIsAnError() {
    TrainingLoop l = loop(3, 2);
    assertThrows(IllegalStateException.class, () -> l.apply(STATS, grad(1), TIMES));
    l.next();
    l.apply(STATS, grad(1), TIMES);
    assertThrows(IllegalStateException.class, () -> l.apply(STATS, grad(1), TIMES),
        "the step was applied already");
  }

  @Test
  void resultBeforeDoneIsAnError() {
    TrainingLoop l = loop(2, 2);
    assertThrows(IllegalStateException.class, l::result, "no step done");
    l.next();
    assertThrows(IllegalStateException.class, l::result, "a step pending");
    l.apply(STATS, grad(1), TIMES);
    assertThrows(IllegalStateException.class, l::result, "one step left");
    l.next();
    assertThrows(IllegalStateException.class, l::result, "the last step pending");
    l.apply(STATS, grad(1), TIMES);
    assertFalse(l.hasNext());
    assertEquals(1, l.result().history().size(), "one epoch of two steps");
    IllegalStateException e = assertThrows(IllegalStateException.class, l::next);
    assertTrue(e.getMessage().contains("over"), e.getMessage());
  }

  @Test
  void stepsAreNumberedGloballyAndWithinTheirEpoch() {
    TrainingLoop l = loop(5, 2);
    long[][] expected = {{0, 0, 0}, {1, 0, 1}, {2, 1, 0}, {3, 1, 1}, {4, 2, 0}};
    for (long[] e : expected) {
      TrainingLoop.Step s = l.next();
      assertEquals(new TrainingLoop.Step(e[0], e[1], (int) e[2]), s);
      l.apply(STATS, grad(1), TIMES);
    }
    assertEquals(3, l.result().history().size(), "epochs 1, 2 and the partial third");
  }

  @Test
  void zeroStepsGiveTheInitialisedWeightsAtOnce() {
    TrainingLoop l = loop(0, 2);
    assertFalse(l.hasNext());
    Parameters init = Parameters.zeros(SPEC);
    Initializer.initialize(init, 5);
    assertArrayEquals(init.toArray(), l.result().parameters().toArray());
    assertThrows(IllegalStateException.class, l::next);
  }

  @Test
  void applyDividesTheSumBySamplesOnceAndUpdates() {
    TrainingLoop l = loop(1, 1);
    float[] before = l.weights().toArray();
    l.next();
    l.apply(new BatchStats(4, 1.0, 2), grad(2), TIMES); // mean gradient 0.5, lr 0.1
    float[] after = l.result().parameters().toArray();
    for (int i = 0; i < before.length; i++) {
      assertEquals(before[i] - 0.1f * 0.5f, after[i], 1e-6f, "parameter " + i);
    }
  }

  @Test
  void theListenerHearsOfStepsAtReportInOrderAndResultReportsTheRest() {
    List<String> heard = new ArrayList<>();
    TrainingLoop l = loop(3, 2, new TrainingListener() {
      @Override
      public void stepDone(EpochMetrics row, long totalSteps) {
        heard.add("step " + row.step());
      }

      @Override
      public void epochDone(EpochMetrics m, long epochs) {
        heard.add("epoch " + m.epoch());
      }
    });
    l.next();
    l.apply(STATS, grad(1), TIMES);
    assertEquals(List.of(), heard, "nothing before report()");
    l.report();
    assertEquals(List.of("step 1"), heard);
    l.next();
    l.apply(STATS, grad(1), TIMES);
    l.next(); // the cluster starts the next step before it reports
    l.report();
    assertEquals(List.of("step 1", "step 2", "epoch 1"), heard);
    l.apply(STATS, grad(1), TIMES);
    assertEquals(3, heard.size(), "the last step is not reported yet");
    l.result();
    assertEquals(List.of("step 1", "step 2", "epoch 1", "step 3", "epoch 2"), heard);
  }

  @Test
  void weightsMovedIntoOtherMemoryAreUpdatedThereWithTheSameBits() {
    TrainingLoop stays = loop(6, 4);
    TrainingLoop moves = loop(6, 4);
    java.nio.FloatBuffer memory = org.dtrain.math.Buffers.allocate(SPEC.parameterCount());
    for (int step = 0; step < 6; step++) {
      if (step == 2) {
        moves.next(); // between two messages of a step, as a coordinator may
        moves.weightsIn(memory);
        assertTrue(moves.weights().values() == memory, "the weights are that memory now");
      } else {
        moves.next();
      }
      stays.next();
      stays.apply(STATS, grad(0.3f * step - 0.4f), TIMES);
      moves.apply(STATS, grad(0.3f * step - 0.4f), TIMES);
      float[] expected = stays.weights().toArray();
      for (int i = 0; i < expected.length; i++) {
        assertEquals(Float.floatToRawIntBits(expected[i]),
            Float.floatToRawIntBits(moves.weights().values().get(i)), "step " + step + " " + i);
        if (step >= 2) assertEquals(expected[i], memory.get(i), "updated in the memory itself");
      }
    }
    assertArrayEquals(stays.result().parameters().toArray(), moves.result().parameters().toArray());
  }

  @Test
  void snapshotsStopWhenAskedTo() {
    TrainingLoop l = loop(3, 3);
    l.keepSnapshots(true);
    l.next();
    l.apply(STATS, grad(1), TIMES);
    assertEquals(l.weights().values().get(0), l.takeSnapshot()[0]);
    l.next();
    l.apply(STATS, grad(1), TIMES);
    l.keepSnapshots(false); // the one not taken is dropped too
    assertEquals(null, l.takeSnapshot());
    l.next();
    l.apply(STATS, grad(1), TIMES);
    assertEquals(null, l.takeSnapshot());
  }
}
