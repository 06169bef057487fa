package dev.tollgate.http;

import dev.tollgate.pipeline.ClientChannel;
import dev.tollgate.pipeline.Endpoint;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayState;
import java.time.Instant;
import java.util.function.Function;

/**
 * A data-plane request whose body has been read: what every inbound protocol needs to build its
 * {@link Exchange}. The client channel is already the protocol's own (e.g. Anthropic-shaped).
 */
public record Arrival(String requestId, Instant startedAt, long startNanos, GatewayState state,
    Function<String, String> header, ClientChannel client) {

  /** The exchange for a chat-completions body (OpenAI wire format, as every inbound protocol is translated to). */
  public Exchange exchange(byte[] openAiBody) {
    return exchange(Endpoint.CHAT_COMPLETIONS, openAiBody);
  }

  /** The exchange for another OpenAI operation (embeddings, the Responses API), body as the client sent it. */
  public Exchange exchange(Endpoint endpoint, byte[] body) {
    return new Exchange(requestId, startedAt, startNanos, endpoint, state, header, body);
  }
}
