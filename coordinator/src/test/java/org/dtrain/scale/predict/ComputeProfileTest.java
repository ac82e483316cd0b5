package org.dtrain.scale.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtrain.data.DataOptions;
import org.dtrain.data.Dataset;
import org.dtrain.data.SyntheticData;
import org.dtrain.nn.Activation;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.OptimizerConfig;
import org.junit.jupiter.api.Test;

class ComputeProfileTest {

  @Test
  void leastSquaresRecoversAnExactLine() {
    LinearFit f = LinearFit.leastSquares(new double[] {1, 2, 4, 8}, new double[] {530, 560, 620, 740});
    assertEquals(500, f.intercept(), 1e-9);
    assertEquals(30, f.slope(), 1e-9);
    assertEquals(3500, f.at(100), 1e-9);
  }

  @Test
  void leastSquaresAveragesSymmetricNoise() {
    // y = 1000 + 20 x with +-50 alternating around it: the errors cancel pairwise at equal x
    double[] x = {10, 10, 20, 20, 40, 40};
    double[] y = {1250, 1150, 1450, 1350, 1850, 1750};
    LinearFit f = LinearFit.leastSquares(x, y);
    assertEquals(1000, f.intercept(), 1e-9);
    assertEquals(20, f.slope(), 1e-9);
  }

  @Test
  void leastSquaresNeedsTwoDifferentX() {
    assertThrows(IllegalArgumentException.class,
        () -> LinearFit.leastSquares(new double[] {3, 3}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> LinearFit.leastSquares(new double[] {1, 2}, new double[] {1}));
  }

  @Test
  void fitKeepsTheTimingsAndNeverPredictsNegativeTime() {
    ComputeProfile p = ComputeProfile.fit(
        List.of(new ShardTiming(10, 900), new ShardTiming(20, 1900), new ShardTiming(40, 3900)),
        0.1, 0.2, 0.3, 0.4, 0.5);
    assertEquals(-100, p.shard().intercept(), 1e-9);
    assertEquals(100, p.shard().slope(), 1e-9);
    assertEquals(0, p.shardNanos(0.5), "a + b r below 0 is 0");
    assertEquals(3, p.timings().size());
  }

  @Test
  void measureTimesTheRealCodeOnATinyModel() {
    ModelSpec spec = ModelSpec.of(new int[] {8, 64, 3}, Activation.of(Activation.Kind.RELU),
        Activation.of(Activation.Kind.SOFTMAX), Loss.CROSS_ENTROPY);
    Dataset data = Dataset.classification(SyntheticData.generate("blobs",
        DataOptions.defaults().withSyntheticFeatures(8).withSyntheticClasses(3)
            .withSyntheticRows(100)), 3);
    ComputeProfile p = ComputeProfile.measure(spec, data, OptimizerConfig.of(OptimizerConfig.Kind.ADAM),
        new MeasureOptions(List.of(8, 128, 1024), 10, 50, 7));
    assertEquals(List.of(8, 128, 1024), p.timings().stream().map(ShardTiming::rows).toList());
    // every timing is real time; the fitted line may cross 0 below the smallest timing on a busy
    // machine (then c(r) is clamped to 0), so only the timings and the slope are checked
    for (ShardTiming t : p.timings()) assertTrue(t.nanos() > 0, "timing " + t);
    assertTrue(p.shard().slope() > 0, "b = " + p.shard().slope());
    assertTrue(p.shardNanos(1024) > p.shardNanos(8));
    for (double v : new double[] {p.addNanosPerFloat(), p.snapshotNanosPerFloat(),
        p.putNanosPerFloat(), p.checkNanosPerFloat(), p.updateNanosPerFloat()}) {
      assertTrue(v >= 0 && Double.isFinite(v), "per-float cost " + v);
    }
  }

  @Test
  void measureRefusesDataOfAnotherShape() {
    ModelSpec spec = ModelSpec.of(new int[] {4, 3}, Activation.of(Activation.Kind.RELU),
        Activation.of(Activation.Kind.SOFTMAX), Loss.CROSS_ENTROPY);
    Dataset data = Dataset.classification(SyntheticData.generate("blobs",
        DataOptions.defaults().withSyntheticFeatures(2)), 3);
    assertThrows(IllegalArgumentException.class, () -> ComputeProfile.measure(spec, data,
        OptimizerConfig.of(OptimizerConfig.Kind.SGD), MeasureOptions.around(16)));
  }
}
