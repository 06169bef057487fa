package dev.tollgate.http.anthropic;

import dev.tollgate.pipeline.ClientChannel;
import dev.tollgate.pipeline.GatewayError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A connection on an Anthropic route whose answers are already in Anthropic's shape (token counts):
 * only the gateway's own errors need saying in Anthropic's error shape; bodies pass as they are.
 */
public final class AnthropicErrorChannel implements ClientChannel {

  private final ClientChannel transport;
  private final String requestId;

  public AnthropicErrorChannel(ClientChannel transport, String requestId) {
    this.transport = transport;
    this.requestId = requestId;
  }

  @Override
  public void sendError(GatewayError error) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("x-tollgate-error-code", error.kind().code());
    transport.sendBody(error.httpStatus(), headers, AnthropicErrors.body(error, requestId));
  }

  @Override
  public void sendBody(int status, Map<String, String> headers, byte[] body) {
    transport.sendBody(status, headers, body);
  }

  @Override
  public void startStream(int status, Map<String, String> headers) {
    transport.startStream(status, headers);
  }

  @Override
  public void write(byte[] data) {
    transport.write(data);
  }

  @Override
  public void end() {
    transport.end();
  }

  @Override
  public boolean started() {
    return transport.started();
  }

  @Override
  public boolean writeQueueFull() {
    return transport.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable action) {
    transport.onDrain(action);
  }

  @Override
  public void onClose(Runnable action) {
    transport.onClose(action);
  }

  @Override
  public Executor loop() {
    return transport.loop();
  }
}
