package dev.tollgate.http.anthropic;

import dev.tollgate.pipeline.ClientChannel;
import dev.tollgate.pipeline.ForwardingChannel;
import dev.tollgate.pipeline.GatewayError;

/**
 * A connection on an Anthropic route whose answers are already in Anthropic's shape (token counts):
 * only the gateway's own errors need saying in Anthropic's error shape; bodies pass as they are.
 */
public final class AnthropicErrorChannel extends ForwardingChannel {

  private final String requestId;

  public AnthropicErrorChannel(ClientChannel transport, String requestId) {
    super(transport);
    this.requestId = requestId;
  }

  @Override
  public void sendError(GatewayError error) {
    AnthropicErrors.send(next, error, requestId);
  }
}
