package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import org.dtrain.coordinator.StepCollector.Outcome;
import org.dtrain.link.TensorBuffers;
import org.dtrain.nn.Activation;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.protocol.FloatChunk;
import org.dtrain.protocol.Header;
import org.dtrain.protocol.ShardGradients;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's side of the reduction tree: chunks in any order, duplicates and overlaps
 * recognised, misfits rejected with a reason, complete only when every shard is in.
 */
class StepCollectorTest {
  /** 2-3-2: 3*2+3 + 2*3+2 = 17 parameters. */
  private static final ModelSpec SPEC = ModelSpec.of(new int[] {2, 3, 2},
      Activation.of(Activation.Kind.TANH), Activation.of(Activation.Kind.SOFTMAX),
      Loss.CROSS_ENTROPY);
  private static final int N = SPEC.parameterCount();

  /** Distinct, non-trivially rounding values for node (first, level). */
  private static float[] values(int first, int level) {
    float[] v = new float[N];
    for (int i = 0; i < N; i++) v[i] = (float) Math.sin(1 + first * 31 + level * 7 + i) / 3f;
    return v;
  }

  private static ShardGradients partial(int first, int level, int samples, FloatChunk c) {
    return new ShardGradients(Header.of("job", 1), "w" + first, first, level, samples,
        samples * 0.5, samples / 2, 100, 10, c);
  }

  private static ShardGradients whole(int first, int level, int samples) {
    float[] v = values(first, level);
    return partial(first, level, samples, new FloatChunk(v, 0, N, 0, N));
  }

  /** Values [from, from + len) of the node's gradient, as one chunk. */
  private static ShardGradients piece(int first, int level, int samples, int from, int len) {
    return partial(first, level, samples, new FloatChunk(values(first, level), from, len, from, N));
  }

  @Test
  void completesOnlyWhenEveryShardIsInAndAddsInTheFixedTree() {
    StepCollector c = new StepCollector(SPEC, 5); // tree: ((0 1)(2 3))(4)
    assertEquals(Outcome.ACCEPTED, c.accept(whole(4, 0, 7)));
    assertFalse(c.isComplete());
    assertEquals(Outcome.ACCEPTED, c.accept(whole(2, 1, 11)));
    assertFalse(c.isComplete());
    assertEquals(Outcome.ACCEPTED, c.accept(whole(1, 0, 5)));
    assertFalse(c.isComplete(), "shard 0 is missing");
    assertEquals(Outcome.ACCEPTED, c.accept(whole(0, 0, 3)));
    assertTrue(c.isComplete());

    float[] s0 = values(0, 0);
    float[] s1 = values(1, 0);
    float[] s23 = values(2, 1);
    float[] s4 = values(4, 0);
    float[] sum = c.sum().toArray();
    for (int i = 0; i < N; i++) {
      float expected = ((s0[i] + s1[i]) + s23[i]) + s4[i];
      assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(sum[i]), "value " + i);
    }
    BatchStats st = c.stats();
    assertEquals(3 + 5 + 11 + 7, st.samples());
    assertEquals((3 + 5 + 11 + 7) * 0.5, st.lossSum(), 1e-12);
  }

  /** The partial of {@link #whole} in a buffer lent by {@code link}, as a data link decodes it. */
  private static ShardGradients lent(TensorBuffers link, int first, int level, int samples) {
    FloatBuffer b = link.lend(N);
    b.put(0, values(first, level));
    return partial(first, level, samples, new FloatChunk(b, 0, N, 0, N));
  }

  @Test
  void wholePartialsFromADataLinkAreTakenOverWithoutACopyAndAddUpToTheSameBits() {
    StepCollector copied = new StepCollector(SPEC, 5); // tree: ((0 1)(2 3))(4)
    StepCollector taken = new StepCollector(SPEC, 5);
    TensorBuffers link = new TensorBuffers(); // the link of workers w2 and w4; w0, w1: none
    taken.buffersFrom(w -> w.equals("w2") || w.equals("w4") ? link::exchange : null);
    for (int step = 0; step < 3; step++) { // the buffers handed over are lent again next step
      copied.reset();
      taken.reset();
      ShardGradients g4 = lent(link, 4, 0, 7);
      ShardGradients g2 = lent(link, 2, 1, 11);
      for (StepCollector c : List.of(copied, taken)) {
        assertEquals(Outcome.ACCEPTED, c.accept(c == taken ? g4 : whole(4, 0, 7)));
        assertEquals(Outcome.ACCEPTED, c.accept(c == taken ? g2 : whole(2, 1, 11)));
        assertEquals(Outcome.ACCEPTED, c.accept(whole(1, 0, 5)));
        assertEquals(Outcome.ACCEPTED, c.accept(whole(0, 0, 3)));
        assertTrue(c.isComplete());
      }
      link.giveBack(g4.gradient().values()); // the actor gives back by habit: taken, so ignored
      link.giveBack(g2.gradient().values());
      FloatBuffer next = link.lend(N);
      assertTrue(next != g4.gradient().values() && next != g2.gradient().values(),
          "a buffer the tree took over is not lent again while the tree uses it");
      link.giveBack(next);
      assertArrayEquals(bits(copied.sum().toArray()), bits(taken.sum().toArray()), "step " + step);
    }
    // a piece (not the whole partial) is copied, and its buffer goes back to the link
    taken.reset();
    FloatBuffer b = link.lend(7);
    b.put(0, values(4, 0), 10, 7);
    assertEquals(Outcome.ACCEPTED, taken.accept(partial(4, 0, 7, new FloatChunk(b, 0, 7, 10, N))));
    link.giveBack(b);
    assertSame(b, link.lend(7));
  }

  private static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
    return b;
  }

  @Test
  void chunksOfOnePartialMayArriveInAnyOrder() {
    StepCollector c = new StepCollector(SPEC, 2);
    assertEquals(Outcome.ACCEPTED, c.accept(piece(1, 0, 4, 10, 7)));
    assertEquals(Outcome.ACCEPTED, c.accept(whole(0, 0, 4)));
    assertFalse(c.isComplete(), "shard 1 has 7 of its 17 values");
    assertEquals(Outcome.ACCEPTED, c.accept(piece(1, 0, 4, 0, 10)));
    assertTrue(c.isComplete());
    float[] a = values(0, 0);
    float[] b = values(1, 0);
    float[] sum = c.sum().toArray();
    for (int i = 0; i < N; i++) assertEquals(a[i] + b[i], sum[i], "value " + i);
    assertEquals(8, c.stats().samples(), "the statistics of a partial count once, not per chunk");
  }

  @Test
  void aDuplicateChunkIsDuplicate() {
    StepCollector c = new StepCollector(SPEC, 2);
    assertEquals(Outcome.ACCEPTED, c.accept(piece(0, 0, 4, 0, 8)));
    assertEquals(Outcome.DUPLICATE, c.accept(piece(0, 0, 4, 0, 8)), "pending partial");
    assertEquals(Outcome.ACCEPTED, c.accept(piece(0, 0, 4, 8, 9)));
    assertEquals(Outcome.DUPLICATE, c.accept(whole(0, 0, 4)), "completed partial");
    assertEquals(Outcome.ACCEPTED, c.accept(whole(1, 0, 4)));
    assertTrue(c.isComplete());
    assertEquals(Outcome.DUPLICATE, c.accept(whole(1, 0, 4)), "after completion");
    assertEquals(8, c.stats().samples());
  }

  @Test
  void aNodeOverlappingACompleteOrPendingNodeIsDuplicate() {
    StepCollector c = new StepCollector(SPEC, 4);
    assertEquals(Outcome.ACCEPTED, c.accept(whole(0, 1, 6)));      // shards 0, 1 complete
    assertEquals(Outcome.DUPLICATE, c.accept(whole(1, 0, 3)));     // inside a complete node
    assertEquals(Outcome.DUPLICATE, c.accept(whole(0, 2, 12)));    // contains a complete node
    assertEquals(Outcome.ACCEPTED, c.accept(piece(2, 1, 6, 0, 5))); // shards 2, 3 pending
    assertEquals(Outcome.DUPLICATE, c.accept(whole(3, 0, 3)), "inside a pending node");
    assertEquals(Outcome.DUPLICATE, c.accept(whole(2, 0, 3)), "same first shard, other level");
    assertFalse(c.isComplete());
    assertEquals(Outcome.ACCEPTED, c.accept(piece(2, 1, 6, 5, 12)));
    assertTrue(c.isComplete());
    assertEquals(12, c.stats().samples());
  }

  @Test
  void aGradientOfTheWrongSizeIsRejectedWithAReason() {
    StepCollector c = new StepCollector(SPEC, 2);
    float[] v = new float[N + 1];
    assertEquals(Outcome.REJECTED, c.accept(partial(0, 0, 4, new FloatChunk(v, 0, N + 1, 0, N + 1))));
    assertTrue(c.lastProblem().contains((N + 1) + " values") && c.lastProblem().contains("w0")
        && c.lastProblem().contains("expected " + N), c.lastProblem());
    assertFalse(c.isComplete());
  }

  @Test
  void aPartialThatIsNoNodeOfTheTreeIsRejected() {
    StepCollector c = new StepCollector(SPEC, 4);
    assertEquals(Outcome.REJECTED, c.accept(whole(1, 1, 4)), "not aligned");
    assertTrue(c.lastProblem().contains("(1, 1)"), c.lastProblem());
    assertEquals(Outcome.REJECTED, c.accept(whole(4, 0, 4)), "past the last shard");
    assertEquals(Outcome.REJECTED, c.accept(whole(0, 3, 4)), "above the root");
  }

  @Test
  void overlappingChunksOfOnePartialAreRejected() {
    StepCollector c = new StepCollector(SPEC, 2);
    assertEquals(Outcome.ACCEPTED, c.accept(piece(0, 0, 4, 0, 10)));
    assertEquals(Outcome.REJECTED, c.accept(piece(0, 0, 4, 5, 12)));
    assertTrue(c.lastProblem().contains("overlapping"), c.lastProblem());
  }

  @Test
  void overlappingChunksAreRejectedEvenWhenTheirLengthsAddUpToTheWhole() {
    // [0, 9) and [8, 16) hold 17 values between them but leave value 16 unwritten.
    StepCollector c = new StepCollector(SPEC, 2);
    assertEquals(Outcome.ACCEPTED, c.accept(whole(1, 0, 4)));
    assertEquals(Outcome.ACCEPTED, c.accept(piece(0, 0, 4, 0, 9)));
    assertEquals(Outcome.REJECTED, c.accept(piece(0, 0, 4, 8, 8)));
    assertTrue(c.lastProblem().contains("overlapping"), c.lastProblem());
    assertFalse(c.isComplete());
  }

  @Test
  void resetForgetsTheStep() {
    StepCollector c = new StepCollector(SPEC, 2);
    c.accept(whole(0, 0, 4));
    c.accept(piece(1, 0, 4, 0, 3));
    c.reset();
    assertFalse(c.isComplete());
    assertEquals(Outcome.ACCEPTED, c.accept(whole(0, 0, 2)), "shard 0 is free again");
    assertEquals(Outcome.ACCEPTED, c.accept(piece(1, 0, 2, 3, 14)));
    assertFalse(c.isComplete(), "the chunk before reset does not count");
    assertEquals(Outcome.ACCEPTED, c.accept(piece(1, 0, 2, 0, 3)));
    assertTrue(c.isComplete());
    assertEquals(4, c.stats().samples());
  }
}
