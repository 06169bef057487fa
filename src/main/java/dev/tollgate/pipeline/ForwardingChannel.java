package dev.tollgate.pipeline;

import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A client channel that passes every call on to another one. Channels that change part of an answer
 * (say it in another protocol, keep a copy for the cache) extend it and override only that part, so
 * flow control ({@link #writeQueueFull}, {@link #onDrain}), close and the event loop always reach
 * the real connection.
 */
public abstract class ForwardingChannel implements ClientChannel {

  protected final ClientChannel next;

  protected ForwardingChannel(ClientChannel next) {
    this.next = next;
  }

  @Override
  public void sendError(GatewayError error) {
    next.sendError(error);
  }

  @Override
  public void sendBody(int status, Map<String, String> headers, byte[] body) {
    next.sendBody(status, headers, body);
  }

  @Override
  public void startStream(int status, Map<String, String> headers) {
    next.startStream(status, headers);
  }

  @Override
  public void write(byte[] data) {
    next.write(data);
  }

  @Override
  public void end() {
    next.end();
  }

  @Override
  public boolean started() {
    return next.started();
  }

  @Override
  public boolean writeQueueFull() {
    return next.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable action) {
    next.onDrain(action);
  }

  @Override
  public void onClose(Runnable action) {
    next.onClose(action);
  }

  @Override
  public Executor loop() {
    return next.loop();
  }
}
