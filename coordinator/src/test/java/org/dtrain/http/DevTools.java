package org.dtrain.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtrain.cli.Json;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket, with the JDK's own client), for
 * the browser tests: start it on a page, evaluate JavaScript there, take a screenshot, and stop it
 * and every process it started, by PID.
 */
final class DevTools implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process browser;
  private WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Map<String, Object>>> replies =
      new ConcurrentHashMap<>();

  private DevTools(Process browser) {
    this.browser = browser;
  }

  /** Starts Chromium on {@code url} with a fresh profile in {@code profile}. */
  static DevTools open(String url, Path profile) throws Exception {
    List<String> cmd = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--user-data-dir=" + profile,
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
        "--window-size=1280,1000", url);
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    DevTools d = new DevTools(p);
    try {
      String browserWs = devtoolsAddress(p);
      URI list = URI.create(browserWs.replace("ws://", "http://")).resolve("/json/list");
      d.socket = HttpClient.newHttpClient().newWebSocketBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .buildAsync(URI.create(pageTarget(list)), d.new Listener()).get(10, TimeUnit.SECONDS);
      return d;
    } catch (Exception e) {
      d.close();
      throw e;
    }
  }

  /** Evaluates {@code expression} in the page; returns its value (JSON-able values only). */
  Object evaluate(String expression) throws Exception {
    Map<String, Object> r = call("Runtime.evaluate", "{\"expression\":" + quote(expression)
        + ",\"returnByValue\":true,\"awaitPromise\":true}");
    Map<String, Object> result = Json.object(r.get("result"));
    if (r.containsKey("exceptionDetails")) {
      throw new IllegalStateException("the page threw: " + r.get("exceptionDetails"));
    }
    return result.get("value");
  }

  /** A PNG of the page as it is shown. */
  byte[] screenshot() throws Exception {
    Map<String, Object> r = call("Page.captureScreenshot", "{\"format\":\"png\"}");
    return java.util.Base64.getDecoder().decode((String) r.get("data"));
  }

  private Map<String, Object> call(String method, String params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
    replies.put(id, reply);
    socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params
        + "}", true).get(10, TimeUnit.SECONDS);
    Map<String, Object> m = reply.get(30, TimeUnit.SECONDS);
    if (m.containsKey("error")) throw new IllegalStateException(method + ": " + m.get("error"));
    return Json.object(m.get("result"));
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return sb.append('"').toString();
  }

  /** Hands every reply to the call waiting for its id; events are ignored. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        Map<String, Object> m = Json.object(Json.parse(text.toString()));
        text.setLength(0);
        if (m.get("id") instanceof Json.Num n) {
          CompletableFuture<Map<String, Object>> f = replies.remove((int) n.asDouble());
          if (f != null) f.complete(m);
        }
      }
      ws.request(1);
      return null;
    }
  }

  private static String devtoolsAddress(Process p) throws IOException {
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
        StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String line;
    while (System.nanoTime() < deadline && (line = err.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> {
          try {
            while (err.readLine() != null) { /* keep Chromium's stderr from filling up */ }
          } catch (IOException e) {
            // the browser is gone
          }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        return m.group(1);
      }
    }
    throw new IOException("Chromium did not open its DevTools port; it said:\n" + seen);
  }

  private static String pageTarget(URI list) throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    for (int i = 0; i < 100; i++) {
      String body = c.send(HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (Object o : Json.array(Json.parse(body))) {
        Map<String, Object> t = Json.object(o);
        if ("page".equals(t.get("type")) && t.get("webSocketDebuggerUrl") != null) {
          return (String) t.get("webSocketDebuggerUrl");
        }
      }
      Thread.sleep(100);
    }
    throw new IOException("Chromium shows no page target at " + list);
  }

  @Override
  public void close() {
    if (socket != null) socket.abort();
    stop(browser);
  }

  /** Stops the browser and the processes it started (renderer, GPU, zygote), by PID. */
  static void stop(Process p) {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    p.destroy();
    all.forEach(ProcessHandle::destroy);
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    all.forEach(h -> {
      if (h.isAlive()) h.destroyForcibly();
    });
  }
}
