package org.dtrain.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.dtrain.cli.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (headless Chromium, which {@code .ci/run} installs): during a job
 * the loss chart shows the steps so far and the worker table every worker; once the job goes on, the
 * page follows it to the end by itself. Screenshots go to {@code target/dashboard*.png}.
 */
class DashboardBrowserTest {
  private static final String PROBE = "JSON.stringify({"
      + "points: +document.getElementById('loss-chart').getAttribute('data-points'),"
      + "accuracyPoints: +document.getElementById('accuracy-chart').getAttribute('data-points'),"
      + "workers: Array.from(document.querySelectorAll('#workers tbody tr')).map(r => r.dataset.worker),"
      + "bars: document.querySelectorAll('#worker-bars rect').length,"
      + "state: document.getElementById('state').textContent,"
      + "step: document.getElementById('step').textContent})";

  @Test
  void showsLiveCurvesAndEveryWorker(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isExecutable(DevTools.CHROMIUM),
        "no " + DevTools.CHROMIUM + " (.ci/run installs the Debian package chromium)");
    try (GatedJob job = new GatedJob(GatedJob.digits(3), 2, 10)) {
      job.awaitGate();
      String url = "http://127.0.0.1:" + job.port() + "/";
      try (DevTools browser = DevTools.open(url, tmp.resolve("profile"))) {
        Map<String, Object> held = waitFor(browser, s -> points(s) >= 5 && workers(s).size() == 2);
        assertEquals(10, points(held), "one point per step so far: " + held);
        // in the job's order, which is the order the workers registered in: any
        assertEquals(java.util.Set.of("w0", "w1"), java.util.Set.copyOf(workers(held)),
            "every worker in the table: " + held);
        assertEquals(2.0, Json.num(held.get("bars")).asDouble(), "a bar per worker: " + held);
        assertEquals("running", held.get("state"));
        save(browser.screenshot(), Path.of("target", "dashboard.png"));

        long total = job.job.plan().totalSteps();
        job.finish();
        Map<String, Object> end = waitFor(browser, s -> "finished".equals(s.get("state")));
        assertEquals(total, points(end), "the page followed the job to its last step: " + end);
        assertEquals(String.valueOf(total), end.get("step"));
        assertTrue(Json.num(end.get("accuracyPoints")).asDouble() > total,
            "training accuracy per step and test accuracy per epoch: " + end);
        save(browser.screenshot(), Path.of("target", "dashboard-finished.png"));
      }
    }
  }

  /** Polls the page about every 200 ms until {@code done} holds, for at most 30 s. */
  private static Map<String, Object> waitFor(DevTools browser, Predicate<Map<String, Object>> done)
      throws Exception {
    Map<String, Object> last = Map.of();
    for (int i = 0; i < 150; i++) {
      Object v = browser.evaluate(PROBE);
      if (v instanceof String text) {
        last = Json.object(Json.parse(text));
        if (done.test(last)) return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the dashboard did not get there within 30 s; it shows " + last);
  }

  private static double points(Map<String, Object> s) {
    return Json.num(s.get("points")).asDouble();
  }

  private static List<Object> workers(Map<String, Object> s) {
    return Json.array(s.get("workers"));
  }

  private static void save(byte[] png, Path file) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(image != null && image.getWidth() >= 800, "a screenshot of the page");
    Files.createDirectories(file.getParent());
    Files.write(file, png);
  }
}
