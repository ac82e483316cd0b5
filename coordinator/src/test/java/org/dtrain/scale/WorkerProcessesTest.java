package org.dtrain.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerProcessesTest {
  @Test
  void workerJvmsShareTheCollectorJitAndHeapOptionsButNotTheRest() {
    List<String> parent = List.of("-XX:+UseSerialGC", "-Ddtrain.home=/opt/dtrain",
        "-XX:CompileThresholdScaling=0.5", "-Xmx4g", "-Xms1g", "-XX:ActiveProcessorCount=2",
        "-Xlog:gc", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-Xss2m");
    assertEquals(List.of("-XX:+UseSerialGC", "-XX:CompileThresholdScaling=0.5", "-Xmx4g", "-Xms1g"),
        WorkerProcesses.sharedJvmOptions(parent));
  }
}
