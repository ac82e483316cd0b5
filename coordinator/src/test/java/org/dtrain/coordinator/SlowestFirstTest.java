package org.dtrain.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order a step's weights go out in: the worker that computed longest last step first. */
class SlowestFirstTest {
  @Test
  void theSlowestOfTheLastStepGetsItsWeightsFirst() {
    assertEquals(List.of("b", "c", "a"),
        ClusterJob.slowestFirst(List.of("a", "b", "c"), Map.of("a", 20.1, "b", 24.9, "c", 22.0)));
  }

  @Test
  void workersNotTimedYetComeLastAndTiesKeepTheJoiningOrder() {
    assertEquals(List.of("c", "a", "b", "d"),
        ClusterJob.slowestFirst(List.of("a", "b", "c", "d"), Map.of("a", 5.0, "b", 5.0, "c", 9.0)));
    assertEquals(List.of("a", "b"), ClusterJob.slowestFirst(List.of("a", "b"), Map.of()));
  }
}
