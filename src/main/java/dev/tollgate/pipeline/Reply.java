package dev.tollgate.pipeline;

/**
 * An answer a stage already holds (a response-cache hit): the pipeline records the request, then
 * sends this instead of calling a provider. Runs on the request's event loop.
 */
public interface Reply {

  /** Sends the whole answer (head, body or events, end) to the client. */
  void sendTo(ClientChannel client);
}
