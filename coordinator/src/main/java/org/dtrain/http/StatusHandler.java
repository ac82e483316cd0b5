package org.dtrain.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dtrain.coordinator.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one connection's requests: {@code GET /} (the dashboard), {@code /api/status},
 * {@code /api/history[?since=STEP]} and {@code /metrics}; HEAD too. A request that does not parse
 * gets 400 and the connection closes; an unknown path 404; another method 405.
 */
final class StatusHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(StatusHandler.class);
  private static final String JSON = "application/json; charset=utf-8";

  private final JobStatus status;
  private final byte[] dashboard;

  StatusHandler(JobStatus status, byte[] dashboard) {
    this.status = status;
    this.dashboard = dashboard;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (req.decoderResult().isFailure()) {
      Throwable why = req.decoderResult().cause();
      HttpResponseStatus code = why instanceof TooLongFrameException
          ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
      if (why instanceof TooLongFrameException && why.getMessage() != null
          && why.getMessage().contains("line")) {
        code = HttpResponseStatus.REQUEST_URI_TOO_LONG;
      }
      reply(ctx, req, code, "text/plain; charset=utf-8", (code.reasonPhrase() + "\n").getBytes(
          StandardCharsets.UTF_8), true);
      return;
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path = uri.path();
    boolean known = path.equals("/") || path.equals("/index.html") || path.equals("/api/status")
        || path.equals("/api/history") || path.equals("/metrics");
    if (!known) {
      reply(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
          ("no such page: " + path + " (try /, /api/status, /api/history, /metrics)\n")
              .getBytes(StandardCharsets.UTF_8), false);
      return;
    }
    if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
      FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
          (req.method() + " is not allowed here; use GET\n").getBytes(StandardCharsets.UTF_8),
          false);
      r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, req, r, false);
      return;
    }
    switch (path) {
      case "/api/status" -> reply(ctx, req, HttpResponseStatus.OK, JSON,
          utf8(StatusJson.status(status.snapshot())), false);
      case "/api/history" -> {
        long since;
        try {
          List<String> s = uri.parameters().get("since");
          since = s == null || s.isEmpty() ? 0 : Long.parseLong(s.get(0));
        } catch (NumberFormatException e) {
          reply(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8",
              utf8("since: expected a step number\n"), false);
          return;
        }
        reply(ctx, req, HttpResponseStatus.OK, JSON, utf8(StatusJson.history(status.history(since))),
            false);
      }
      case "/metrics" -> reply(ctx, req, HttpResponseStatus.OK, PrometheusText.CONTENT_TYPE,
          utf8(PrometheusText.render(status.snapshot())), false);
      default -> reply(ctx, req, HttpResponseStatus.OK, "text/html; charset=utf-8", dashboard,
          false);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static FullHttpResponse response(HttpResponseStatus code, String type, byte[] body,
      boolean head) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, code,
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return r;
  }

  private static void reply(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus code,
      String type, byte[] body, boolean close) {
    send(ctx, req, response(code, type, body, req.method().equals(HttpMethod.HEAD)), close);
  }

  private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r,
      boolean close) {
    boolean keep = !close && HttpUtil.isKeepAlive(req);
    if (keep) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(r);
    } else {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
