package dev.tollgate.http;

import dev.tollgate.pipeline.ClientChannel;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.provider.shared.Buffers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/** The client connection of one OpenAI-protocol request, on Vert.x. */
final class VertxClientChannel implements ClientChannel {

  private final HttpServerResponse response;
  private final String requestId;
  private boolean started;
  private boolean closed;
  private Runnable onClose;
  private final io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();

  VertxClientChannel(HttpServerResponse response, String requestId) {
    this.response = response;
    this.requestId = requestId;
    response.putHeader("x-tollgate-request-id", requestId);
    response.closeHandler(v -> {
      closed = true;
      if (onClose != null && !response.ended()) onClose.run();
    });
  }

  @Override
  public void sendError(GatewayError error) {
    if (started || closed) return;
    started = true;
    response.setStatusCode(error.httpStatus())
        .putHeader("content-type", "application/json")
        .putHeader("x-tollgate-error-code", error.kind().code());
    Object retryAfter = error.details().get("retry_after_seconds");
    if (retryAfter != null) response.putHeader("retry-after", String.valueOf(retryAfter));
    response.end(Buffer.buffer(OpenAiErrors.body(error, requestId)));
  }

  @Override
  public void sendBody(int status, Map<String, String> headers, byte[] body) {
    if (started || closed) return;
    started = true;
    response.setStatusCode(status);
    headers.forEach(response::putHeader);
    response.end(Buffers.wrap(body));
  }

  @Override
  public void startStream(int status, Map<String, String> headers) {
    if (started || closed) return;
    started = true;
    response.setStatusCode(status).setChunked(true);
    headers.forEach(response::putHeader);
    response.writeHead();
  }

  @Override
  public void write(byte[] data) {
    if (!closed && !response.ended()) response.write(Buffers.wrap(data));
  }

  @Override
  public void end() {
    if (!closed && !response.ended()) response.end();
  }

  @Override
  public boolean started() {
    return started;
  }

  @Override
  public boolean writeQueueFull() {
    return !closed && response.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable action) {
    response.drainHandler(v -> action.run());
  }

  @Override
  public void onClose(Runnable action) {
    this.onClose = action;
  }

  @Override
  public java.util.concurrent.Executor loop() {
    return context == null ? Runnable::run : task -> context.runOnContext(v -> task.run());
  }
}
