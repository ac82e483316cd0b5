package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dtrain.data.Dataset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * --data-on-workers: the job a coordinator sends its workers reads the very training rows the
 * coordinator trains on (file, test split, scaling, label encoding, synthetic generator).
 */
class WorkerDataConfigTest {
  private static final String IRIS = "../examples/data/iris.csv";

  private static Map<String, Object> flags(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    m.put("data-on-workers", true);
    return m;
  }

  static List<Arguments> jobs() {
    return List.of(
        Arguments.of(flags("data", IRIS, "test-fraction", 0.2, "scale", "standard", "seed", 5L,
            "shards", 8L)),
        Arguments.of(flags("data", IRIS, "test-data", IRIS, "scale", "minmax", "layers",
            "auto,4,5")),
        Arguments.of(flags("data", "../examples/data/breast_cancer.csv",
            "loss", "binary_cross_entropy", "test-fraction", 0.25, "seed", 9L)),
        Arguments.of(flags("data", "synthetic:blobs", "synthetic-rows", 90L, "synthetic-classes", 3L,
            "synthetic-features", 5L, "synthetic-noise", 0.3, "seed", 11L, "scale", "standard")),
        // 4 rows and the default shard count: the worker must not trip over shards = 16
        Arguments.of(flags("data", "synthetic:xor", "layers", "2,2,1", "loss", "mse")));
  }

  @ParameterizedTest
  @MethodSource("jobs")
  void theRenderedJobReadsTheCoordinatorsTrainingRows(Map<String, Object> flags) {
    Job job = Job.resolve(JobConfig.load(flags, null));
    String sent = job.workerDataConfig();
    assertFalse(sent.contains("data-on-workers"), sent);
    Dataset rows = Job.trainingRows(sent);
    assertEquals(job.train().rows(), rows.rows());
    assertEquals(job.train().sha256(), rows.sha256(), sent);
  }

  @Test
  void withoutTheFlagNothingIsSentAndTheRenderedJobIsUnchanged() {
    Map<String, Object> on = flags("data", IRIS);
    Map<String, Object> off = new LinkedHashMap<>(on);
    off.remove("data-on-workers");
    JobConfig withFlag = JobConfig.load(on, null);
    JobConfig without = JobConfig.load(off, null);
    assertNull(Job.resolve(without).workerDataConfig());
    assertTrue(withFlag.bool("data-on-workers"));
    assertEquals(without.render(), withFlag.render(), "the flag changes no weight: not in RunInfo");
  }
}
