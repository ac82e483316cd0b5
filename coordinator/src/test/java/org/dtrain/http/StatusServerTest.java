package org.dtrain.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dtrain.cli.Json;
import org.dtrain.coordinator.TrainingLoop;
import org.dtrain.nn.Parameters;
import org.junit.jupiter.api.Test;

/**
 * The HTTP endpoint during a real in-JVM training job (held at a step while the test looks): the
 * status JSON, Prometheus text, error answers, and 1,000 garbage connections that change nothing.
 */
class StatusServerTest {
  private static final int WORKERS = 2;

  @Test
  void servesStatusMetricsAndErrorsDuringAJobAndGarbageChangesNoBit() throws Exception {
    TrainingLoop.Result result;
    try (GatedJob job = new GatedJob(GatedJob.digits(3), WORKERS, 8)) {
      job.awaitGate();
      int port = job.port();

      Http.Response st = Http.get(port, "/api/status");
      assertEquals(200, st.code(), st.head());
      assertTrue(st.head().contains("application/json"), st.head());
      Map<String, Object> s = Json.object(Json.parse(st.body()));
      for (String key : List.of("job", "state", "step", "epoch", "loss", "accuracy", "samples_per_s",
          "workers")) {
        assertTrue(s.containsKey(key), "status has " + key + ": " + st.body());
      }
      assertEquals(job.status.snapshot().job(), s.get("job"));
      assertEquals("running", s.get("state"));
      assertEquals(8, Json.num(s.get("step")).asDouble());
      assertEquals(1, Json.num(s.get("epoch")).asDouble());
      double loss = Json.num(s.get("loss")).asDouble();
      assertTrue(loss > 0 && loss < 5, "a cross-entropy loss of 10 classes: " + loss);
      double acc = Json.num(s.get("accuracy")).asDouble();
      assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
      assertTrue(Json.num(s.get("samples_per_s")).asDouble() > 0);
      List<Object> workers = Json.array(s.get("workers"));
      assertEquals(WORKERS, workers.size());
      int shards = 0;
      for (Object o : workers) {
        Map<String, Object> w = Json.object(o);
        for (String key : List.of("id", "address", "shards", "last_step_ms", "state")) {
          assertTrue(w.containsKey(key), "worker has " + key + ": " + w);
        }
        assertEquals("training", w.get("state"));
        assertTrue(((String) w.get("address")).startsWith("akka://dtrain/user/worker-"), w.toString());
        assertTrue(Json.num(w.get("last_step_ms")).asDouble() > 0, w.toString());
        shards += Json.array(w.get("shards")).size();
      }
      assertEquals(4, shards, "every shard is on a worker");

      Http.Response h = Http.get(port, "/api/history?since=5");
      assertEquals(200, h.code());
      List<Object> rows = Json.array(Json.object(Json.parse(h.body())).get("rows"));
      assertEquals(List.of(6.0, 7.0, 8.0), rows.stream()
          .map(r -> Json.num(Json.object(r).get("step")).asDouble()).toList());

      Http.Response m = Http.get(port, "/metrics");
      assertEquals(200, m.code());
      assertTrue(m.head().contains("text/plain; version=0.0.4"), m.head());
      PrometheusFormat p = PrometheusFormat.parse(m.body());
      assertEquals(8, p.get("dtrain_steps_total"));
      assertEquals(8, p.get("dtrain_step_seconds_count"));
      assertEquals(job.status.history(0).stream().mapToLong(r -> r.samples()).sum(),
          p.get("dtrain_samples_total"), "the rows of the 8 steps");
      assertEquals(loss, p.get("dtrain_loss"), 1e-5 * loss);
      assertEquals(WORKERS, p.get("dtrain_workers_live"));
      assertEquals(1, p.get("dtrain_job_state{state=\"running\"}"));
      assertTrue(p.get("dtrain_bytes_sent_total") > 8 * WORKERS * 4.0
          * job.job.plan().spec().parameterCount(), "the weights went to every worker every step");
      assertTrue(p.get("dtrain_bytes_received_total") > 0);
      assertTrue(p.get("dtrain_worker_compute_seconds{worker=\"w0\"}") > 0);
      for (String name : List.of("dtrain_steps_total", "dtrain_samples_total", "dtrain_loss",
          "dtrain_accuracy", "dtrain_step_seconds", "dtrain_worker_compute_seconds",
          "dtrain_bytes_sent_total", "dtrain_bytes_received_total", "dtrain_workers_live")) {
        assertTrue(p.types.containsKey(name), "/metrics has " + name);
      }

      Http.Response page = Http.get(port, "/");
      assertEquals(200, page.code());
      assertTrue(page.head().contains("text/html"));
      assertTrue(page.body().contains("id=\"loss-chart\""));
      assertTrue(!page.body().contains("http://") && !page.body().contains("https://")
          || page.body().contains("http://www.w3.org/2000/svg"), "nothing fetched from elsewhere");

      assertEquals(404, Http.get(port, "/nope").code());
      assertEquals(404, Http.get(port, "/api/status/extra").code());
      Http.Response post = Http.request(port, "POST", "/api/status");
      assertEquals(405, post.code());
      assertTrue(post.head().contains("allow: GET, HEAD") || post.head().contains("Allow: GET, HEAD"),
          post.head());
      assertEquals(405, Http.request(port, "DELETE", "/metrics").code());
      assertEquals(400, Http.send(port, "this is not http\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
          .code());
      assertEquals(400, Http.get(port, "/api/history?since=yesterday").code());
      assertEquals(400, Http.send(port, "GET /api/status HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII)).code(), "a header without a colon");
      String huge = "GET /" + "a".repeat(StatusServer.MAX_LINE * 2) + " HTTP/1.1\r\n\r\n";
      assertEquals(414, Http.send(port, huge.getBytes(StandardCharsets.US_ASCII)).code());
      String bigHeader = "GET / HTTP/1.1\r\nX: " + "b".repeat(StatusServer.MAX_HEADERS * 2) + "\r\n\r\n";
      assertEquals(431, Http.send(port, bigHeader.getBytes(StandardCharsets.US_ASCII)).code());
      String bigBody = "POST /api/status HTTP/1.1\r\nHost: x\r\nContent-Length: "
          + (StatusServer.MAX_BODY * 4) + "\r\n\r\n" + "c".repeat(StatusServer.MAX_BODY * 4);
      assertEquals(413, Http.send(port, bigBody.getBytes(StandardCharsets.US_ASCII)).code());

      Garbage.send(port, 1000, new Random(7));
      Map<String, Object> after = Json.object(Json.parse(Http.get(port, "/api/status").body()));
      assertEquals("running", after.get("state"), "the job still holds at its step");
      result = job.finish();
      assertEquals("finished", Json.object(Json.parse(Http.get(port, "/api/status").body()))
          .get("state"));
    }
    TrainingLoop.Result reference = GatedJob.reference(GatedJob.digits(3), WORKERS);
    assertArrayEquals(values(reference.parameters()), values(result.parameters()),
        "the same bits as the job without HTTP");
  }

  static float[] values(Parameters p) {
    float[] a = new float[p.count()];
    p.values().get(0, a);
    return a;
  }
}
