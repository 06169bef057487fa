package dev.tollgate.pipeline;

import java.util.Map;

/**
 * The pipeline's view of the client connection, implemented by the HTTP edge, which knows the
 * protocol (OpenAI or Anthropic shapes) and the transport. Called only on the request's event loop.
 */
public interface ClientChannel {

  /** Answers with an error in the protocol's own shape. Only before a stream has started. */
  void sendError(GatewayError error);

  /** Answers with a whole JSON body. */
  void sendBody(int status, Map<String, String> headers, byte[] body);

  /** Starts a streamed (SSE) answer; then {@link #write} any number of times, then {@link #end}. */
  void startStream(int status, Map<String, String> headers);

  void write(byte[] data);

  void end();

  /** True once anything (head or error) has gone to the client. */
  boolean started();

  /** True when the client is not reading as fast as we write: time to pause the upstream. */
  boolean writeQueueFull();

  /** Runs once the client has caught up after {@link #writeQueueFull} said true. */
  void onDrain(Runnable action);

  /** Runs if the client goes away before the answer has ended. */
  void onClose(Runnable action);

  /** Where work for this request resumes after an asynchronous step: the request's event loop. */
  default java.util.concurrent.Executor loop() {
    return Runnable::run;
  }
}
