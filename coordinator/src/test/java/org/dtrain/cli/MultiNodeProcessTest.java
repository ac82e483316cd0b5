package org.dtrain.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes on 127.0.0.1: a coordinator JVM and worker JVMs joined by Akka Cluster. Every process
 * is bounded by a timeout and killed, by its handle, when the test ends.
 */
class MultiNodeProcessTest {
  private static final long TIMEOUT_S = 120;
  private static final String[] JOB = {"--data", Cli.IRIS, "--layers", "auto,16,auto", "--epochs", "4",
      "--scale", "standard", "--shards", "8", "--optimizer", "adam", "--lr", "0.01",
      "--batch-size", "32", "--seed", "5", "--quiet"};

  /** Long enough (several seconds over the data links) for a worker to die or join during it. */
  private static final String[] LONG_JOB = {"--data", Cli.DIGITS, "--layers",
      "auto,256,256,auto", "--steps", "STEPS", "--scale", "minmax", "--shards", "8", "--optimizer",
      "adam", "--lr", "0.001", "--batch-size", "512", "--seed", "9", "--quiet"};

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killWhatWeStarted() {
    for (Process p : started) p.destroyForcibly();
  }

  private Process dtrain(String name, List<String> jvmFlags, String... args) throws IOException {
    return dtrainIn(null, name, jvmFlags, args);
  }

  /** @param cwd the working directory, or null for this one */
  private Process dtrainIn(Path cwd, String name, List<String> jvmFlags, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(Cli.withoutDashboard(args));
    Process p = new ProcessBuilder(cmd)
        .directory(cwd == null ? null : cwd.toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile())
        .start();
    started.add(p);
    return p;
  }

  private String err(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".err"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static String[] with(String[] base, String... more) {
    return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
  }

  private int finish(Process p, String name) throws Exception {
    assertTrue(p.waitFor(TIMEOUT_S, TimeUnit.SECONDS), name + " finished within " + TIMEOUT_S + " s");
    return p.exitValue();
  }

  /**
   * Hostile bytes at a port: connections that send garbage, a truncated frame header, a huge length
   * and nothing at all; each is bounded by a timeout. Returns how many connections were made.
   */
  private static int garbage(int port) throws Exception {
    java.util.Random r = new java.util.Random(port);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int made = 0;
    for (int i = 0; i < 40; i++) {
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(200);
        byte[] b = switch (i % 4) {
          case 0 -> new byte[1 + r.nextInt(300_000)];
          case 1 -> new byte[] {'A', 'K', 'K'};
          case 2 -> new byte[] {0x7f, -1, -1, -1, 'S', 0, 0, 0, 1};
          default -> new byte[0];
        };
        if (i % 4 == 0) r.nextBytes(b);
        s.getOutputStream().write(b);
        s.getOutputStream().flush();
        made++;
      } catch (java.io.IOException e) { // not listening yet, or it hung up on us: both fine
        if (made == 0 && System.nanoTime() < until) {
          i--;
          Thread.sleep(100);
        }
      }
    }
    return made;
  }

  /** The body of a GET to the coordinator's HTTP endpoint. */
  private static String httpGet(int port, String path) throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
            .timeout(java.time.Duration.ofSeconds(10)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  @Test
  void aCoordinatorAndThreeWorkerProcessesWriteTheInJvmModelByteForByte() throws Exception {
    int port = freePort();
    int dataPort = freePort();
    int httpPort = freePort();
    Path remote = dir.resolve("remote.dtrm");
    Process c = dtrain("coordinator", List.of(), with(with(new String[] {"coordinator"}, JOB), "--workers", "3",
        "--port", String.valueOf(port), "--data-port", String.valueOf(dataPort),
        "--http-port", String.valueOf(httpPort),
        "--wait-for-workers", "90s", "--save-model", remote.toString()));
    // garbage at all of the coordinator's ports first: neither crash nor hang may follow
    assertTrue(garbage(port) > 30 && garbage(dataPort) > 30 && garbage(httpPort) > 30,
        "hostile connections made");
    String waiting = httpGet(httpPort, "/api/status");
    for (int i = 0; i < 100 && waiting.contains("\"message\":\"starting\""); i++) {
      Thread.sleep(100); // the HTTP endpoint may answer before the job is set up
      waiting = httpGet(httpPort, "/api/status");
    }
    assertTrue(waiting.contains("\"state\":\"waiting\"")
        && waiting.contains("waiting for workers: 0 of 3 registered"), waiting);
    List<Process> workers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      workers.add(dtrain("worker" + i, List.of(), "worker", "--coordinator", "127.0.0.1:" + port));
    }
    assertEquals(0, finish(c, "coordinator"), () -> "coordinator: " + safeErr("coordinator"));
    for (int i = 0; i < 3; i++) {
      String name = "worker" + i;
      assertEquals(0, finish(workers.get(i), name), () -> name + ": " + safeErr(name));
    }

    Path local = dir.resolve("local.dtrm");
    Cli.ok(with(with(new String[] {"train"}, JOB), "--workers", "2", "--save-model", local.toString()));
    assertArrayEquals(exportJson(local), exportJson(remote),
        "3 worker processes and 2 in-JVM workers over 8 shards give the same weights");
    String log = err("coordinator");
    assertEquals(3, log.split("data link up from /127.0.0.1:", -1).length - 1,
        "the tensors went over 3 data links: " + log);
  }

  /** The job of {@link #JOB} with a test split, on iris.csv relative to the working directory. */
  private static String[] relativeJob() {
    String[] job = with(JOB, "--test-fraction", "0.2");
    for (int i = 0; i < job.length; i++) {
      if (job[i].equals(Cli.IRIS)) job[i] = "iris.csv";
    }
    return job;
  }

  private Path nodeDir(String name, String iris) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve("iris.csv"), iris);
    return d;
  }

  @Test
  void withDataOnWorkersAndTensorsOverArteryTwoWorkerProcessesWriteTheInJvmModel()
      throws Exception {
    String iris = Files.readString(Path.of(Cli.IRIS));
    int port = freePort();
    Path remote = dir.resolve("remote-dow.dtrm");
    Process c = dtrainIn(nodeDir("c", iris), "coordinator", List.of(), with(with(
        new String[] {"coordinator"}, relativeJob()), "--workers", "2", "--data-on-workers",
        "--data-plane", "artery", "--port", String.valueOf(port), "--wait-for-workers", "90s", "--save-model", remote.toString()));
    List<Process> workers = new ArrayList<>();
    for (int i = 0; i < 2; i++) { // each node has its own copy of the file, at the same relative path
      workers.add(dtrainIn(nodeDir("w" + i, iris), "worker" + i, List.of(),
          "worker", "--coordinator", "127.0.0.1:" + port));
    }
    assertEquals(0, finish(c, "coordinator"), () -> "coordinator: " + safeErr("coordinator"));
    for (int i = 0; i < 2; i++) {
      String name = "worker" + i;
      assertEquals(0, finish(workers.get(i), name), () -> name + ": " + safeErr(name));
    }

    Path local = dir.resolve("local-dow.dtrm");
    Cli.ok(with(with(new String[] {"train"}, with(JOB, "--test-fraction", "0.2")), "--workers", "2",
        "--save-model", local.toString()));
    assertArrayEquals(exportJson(local), exportJson(remote),
        "2 worker processes reading the data themselves give the in-JVM weights");
  }

  @Test
  void withDataOnWorkersAWorkerWithAnotherFileFailsTheJobNamingBothChecksums() throws Exception {
    String iris = Files.readString(Path.of(Cli.IRIS));
    String changed = iris.replaceFirst("\n5\\.1,3\\.5,", "\n5.2,3.5,");
    assertTrue(!changed.equals(iris));
    int port = freePort();
    Process c = dtrainIn(nodeDir("c", iris), "coordinator", List.of(), with(with(
        new String[] {"coordinator"}, relativeJob()), "--workers", "1", "--data-on-workers",
        "--port", String.valueOf(port), "--wait-for-workers", "90s"));
    Process w = dtrainIn(nodeDir("w", changed), "worker", List.of(),
        "worker", "--coordinator", "127.0.0.1:" + port);
    assertEquals(1, finish(c, "coordinator"), () -> "coordinator: " + safeErr("coordinator"));
    finish(w, "worker");
    String coordErr = err("coordinator");
    assertTrue(coordErr.contains("failed loading its shards on shard")
        && coordErr.contains("differ from the coordinator's")
        && coordErr.matches("(?s).*sha256 [0-9a-f]{64} on the worker, [0-9a-f]{64} on the coordinator.*"),
        coordErr);
  }

  @Test
  void aWorkerOfAnotherProtocolVersionIsRefusedOnBothSides() throws Exception {
    int port = freePort();
    Process c = dtrain("coordinator", List.of(), with(with(new String[] {"coordinator"}, JOB), "--workers", "1",
        "--port", String.valueOf(port), "--wait-for-workers", "15s"));
    Process w = dtrain("worker", List.of("-Ddtrain.test.protocol=99"),
        "worker", "--coordinator", "127.0.0.1:" + port);
    assertEquals(1, finish(w, "worker"));
    String workerErr = err("worker");
    assertTrue(workerErr.contains("protocol version 99, this coordinator 1"), workerErr);
    assertEquals(1, finish(c, "coordinator"));
    String coordErr = err("coordinator");
    assertTrue(coordErr.contains("refused worker") && coordErr.contains("protocol version 99"),
        coordErr);
    assertTrue(coordErr.contains("--wait-for-workers 15s is over: waited for 1 workers; 0 joined"),
        coordErr);
  }

  /** CA and node stores made by deploy/tls/make-certs.sh, as a user would. */
  private Path certs(String dirName, String... nodes) throws Exception {
    Path out = dir.resolve(dirName);
    List<String> cmd = new ArrayList<>(List.of("bash", "../deploy/tls/make-certs.sh", out.toString()));
    cmd.addAll(List.of(nodes));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(dirName + ".log").toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    started.add(p);
    assertEquals(0, finish(p, "make-certs.sh"), () -> safeRead(dir.resolve(dirName + ".log")));
    return out;
  }

  private static List<String> tls(Path stores, String node, Path trust) {
    return List.of("--tls", "--keystore", stores.resolve(node + ".p12").toString(),
        "--keystore-password-file", stores.resolve("password").toString(),
        "--truststore", trust.resolve("truststore.p12").toString(),
        "--truststore-password-file", trust.resolve("password").toString());
  }

  @Test
  void withTlsTheJobRunsAndAWorkerTheCaDidNotSignCannotJoin() throws Exception {
    Path ca = certs("tls", "coordinator", "w1", "w2");
    Path rogue = certs("rogue", "intruder");

    int port = freePort();
    Path remote = dir.resolve("tls.dtrm");
    List<String> coord = new ArrayList<>(List.of(with(with(new String[] {"coordinator"}, JOB),
        "--workers", "2", "--port", String.valueOf(port), "--wait-for-workers", "90s",
        "--save-model", remote.toString())));
    coord.addAll(tls(ca, "coordinator", ca));
    Process c = dtrain("coordinator", List.of(), coord.toArray(String[]::new));
    List<Process> workers = new ArrayList<>();
    for (String w : List.of("w1", "w2")) {
      List<String> args = new ArrayList<>(List.of("worker", "--coordinator", "127.0.0.1:" + port));
      args.addAll(tls(ca, w, ca));
      workers.add(dtrain(w, List.of(), args.toArray(String[]::new)));
    }
    assertEquals(0, finish(c, "coordinator"), () -> safeErr("coordinator"));
    for (int i = 0; i < 2; i++) assertEquals(0, finish(workers.get(i), "w" + (i + 1)));
    Path local = dir.resolve("local-tls.dtrm");
    Cli.ok(with(with(new String[] {"train"}, JOB), "--workers", "1", "--save-model", local.toString()));
    assertArrayEquals(exportJson(local), exportJson(remote), "TLS changes the transport, not a bit");

    // an intruder: its certificate is signed by another CA; it trusts the cluster's CA
    int port2 = freePort();
    List<String> coord2 = new ArrayList<>(List.of(with(with(new String[] {"coordinator"}, JOB),
        "--workers", "1", "--port", String.valueOf(port2), "--wait-for-workers", "10s")));
    coord2.addAll(tls(ca, "coordinator", ca));
    Process c2 = dtrain("coordinator2", List.of(), coord2.toArray(String[]::new));
    List<String> args = new ArrayList<>(List.of("worker", "--coordinator", "127.0.0.1:" + port2));
    args.addAll(tls(rogue, "intruder", ca));
    dtrain("intruder", List.of(), args.toArray(String[]::new));
    assertEquals(1, finish(c2, "coordinator2"), "the job does not proceed with the intruder");
    String err = err("coordinator2");
    assertTrue(err.contains("refused a TLS client with certificate 'CN=intruder'"), err);
    assertTrue(err.contains("waited for 1 workers; 0 joined"), err);
  }

  private static String safeRead(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private String safeErr(String name) {
    try {
      return err(name);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private byte[] exportJson(Path model) throws IOException {
    Path json = dir.resolve(model.getFileName() + ".json");
    Cli.ok("export", "--model", model.toString(), "--format", "json", "--out", json.toString());
    return Files.readAllBytes(json);
  }

  private static String[] longJob(int steps) {
    String[] job = LONG_JOB.clone();
    for (int i = 0; i < job.length; i++) if (job[i].equals("STEPS")) job[i] = String.valueOf(steps);
    return job;
  }

  /**
   * Waits until the coordinator's per-step metrics (growing in {@code csv}.partial, flushed once a
   * second) show {@code rows} steps done.
   */
  private static void awaitStep(Path csv, int rows, Process coordinator) throws Exception {
    Path growing = csv.resolveSibling(csv.getFileName() + ".partial");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (System.nanoTime() < until) {
      if (Files.exists(growing) && Files.readAllLines(growing).size() > rows) return;
      if (!coordinator.isAlive()) fail("the coordinator ended before step " + rows);
      Thread.sleep(20);
    }
    fail("no step " + rows + " within " + TIMEOUT_S + " s");
  }

  private static long lastStep(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    return Long.parseLong(lines.get(lines.size() - 1).split(",")[0]);
  }

  @Test
  void aWorkerProcessKilledWithSignal9MidJobLeavesTheInJvmModel() throws Exception {
    int steps = 800; // about 10 ms each
    int port = freePort();
    Path remote = dir.resolve("remote-kill.dtrm");
    Path csv = dir.resolve("kill.csv");
    Process c = dtrain("coordinator", List.of(), with(with(new String[] {"coordinator"},
        longJob(steps)), "--workers", "3", "--port", String.valueOf(port), "--wait-for-workers",
        "90s", "--save-model", remote.toString(), "--metrics-every-step", "--metrics-out",
        csv.toString()));
    List<Process> workers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      workers.add(dtrain("worker" + i, List.of(), "worker", "--coordinator", "127.0.0.1:" + port));
    }
    awaitStep(csv, 100, c);
    workers.get(1).destroyForcibly(); // SIGKILL
    assertEquals(0, finish(c, "coordinator"), () -> "coordinator: " + safeErr("coordinator"));
    for (int i : new int[] {0, 2}) {
      String name = "worker" + i;
      assertEquals(0, finish(workers.get(i), name), () -> name + ": " + safeErr(name));
    }
    String log = err("coordinator");
    assertTrue(log.matches("(?s).*worker w-127\\.0\\.0\\.1:\\d+ lost \\(its data link closed\\); 2 "
        + "workers left.*"), log);
    assertEquals(steps, lastStep(csv), "every step was done");

    Path local = dir.resolve("local-kill.dtrm");
    Cli.ok(with(with(new String[] {"train"}, longJob(steps)), "--workers", "2", "--save-model",
        local.toString()));
    assertArrayEquals(exportJson(local), exportJson(remote),
        "a worker killed mid-job changes the time, not a bit");
  }

  @Test
  void aWorkerProcessJoiningMidJobTakesShardsAndLeavesTheInJvmModel() throws Exception {
    int steps = 1000; // about 10 ms each: the joiner's JVM starts and joins well before the end
    int port = freePort();
    Path remote = dir.resolve("remote-join.dtrm");
    Path csv = dir.resolve("join.csv");
    Process c = dtrain("coordinator", List.of(), with(with(new String[] {"coordinator"},
        longJob(steps)), "--workers", "2", "--port", String.valueOf(port), "--wait-for-workers",
        "90s", "--save-model", remote.toString(), "--metrics-every-step", "--metrics-out",
        csv.toString()));
    List<Process> workers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      workers.add(dtrain("worker" + i, List.of(), "worker", "--coordinator", "127.0.0.1:" + port));
    }
    awaitStep(csv, 1, c);
    workers.add(dtrain("worker2", List.of(), "worker", "--coordinator", "127.0.0.1:" + port));
    assertEquals(0, finish(c, "coordinator"), () -> "coordinator: " + safeErr("coordinator"));
    for (int i = 0; i < 3; i++) {
      String name = "worker" + i;
      assertEquals(0, finish(workers.get(i), name), () -> name + ": " + safeErr(name));
    }
    String log = err("coordinator");
    assertTrue(log.contains("joined the running job") && log.contains("3 workers now"), log);

    Path local = dir.resolve("local-join.dtrm");
    Cli.ok(with(with(new String[] {"train"}, longJob(steps)), "--workers", "2", "--save-model",
        local.toString()));
    assertArrayEquals(exportJson(local), exportJson(remote),
        "a worker joining mid-job changes the time, not a bit");
  }

  @Test
  void aCoordinatorKilledWithSignal9ResumesFromItsCheckpointWithTheInJvmModel() throws Exception {
    int steps = 800;
    Path ckpt = dir.resolve("ckpt");
    String[] first = with(with(new String[] {"coordinator"}, longJob(steps)), "--workers", "2",
        "--wait-for-workers", "90s", "--checkpoint-every", "100", "--checkpoint-dir",
        ckpt.toString());
    int port = freePort();
    Process c = dtrain("coordinator", List.of(), with(first, "--port", String.valueOf(port)));
    List<Process> workers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      workers.add(dtrain("worker" + i, List.of(), "worker", "--coordinator", "127.0.0.1:" + port));
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (!Files.exists(ckpt.resolve("ckpt-000000000200.dtck"))) {
      assertTrue(c.isAlive() && System.nanoTime() < until, "a checkpoint at step 200");
      Thread.sleep(20);
    }
    c.destroyForcibly(); // SIGKILL
    assertTrue(c.waitFor(TIMEOUT_S, TimeUnit.SECONDS));

    // the same coordinator address, resumed; the workers that lost it join it again
    Path remote = dir.resolve("remote-resumed.dtrm");
    Path csv = dir.resolve("resumed.csv");
    Process c2 = dtrain("coordinator2", List.of(), with(first, "--port", String.valueOf(port),
        "--resume", "--save-model", remote.toString(), "--metrics-every-step", "--metrics-out",
        csv.toString()));
    assertEquals(0, finish(c2, "coordinator2"), () -> "coordinator2: " + safeErr("coordinator2"));
    for (int i = 0; i < 2; i++) {
      String name = "worker" + i;
      assertEquals(0, finish(workers.get(i), name), () -> name + ": " + safeErr(name));
      assertTrue(err(name).contains("joining 127.0.0.1:" + port + " again"), err(name));
    }
    long firstStep = Long.parseLong(Files.readAllLines(csv).get(1).split(",")[0]);
    assertTrue(firstStep > 200, "resumed after step 200 or later, first step " + firstStep);
    assertEquals(steps, lastStep(csv));

    Path local = dir.resolve("local-uninterrupted.dtrm");
    Cli.ok(with(with(new String[] {"train"}, longJob(steps)), "--workers", "2", "--save-model",
        local.toString()));
    assertArrayEquals(exportJson(local), exportJson(remote),
        "a coordinator killed and resumed changes the time, not a bit");
  }
}
