package dev.tollgate.http.anthropic;

import dev.tollgate.pipeline.ClientChannel;
import dev.tollgate.pipeline.ForwardingChannel;
import dev.tollgate.pipeline.GatewayError;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client connection of an Anthropic-protocol request: the pipeline answers in the OpenAI wire
 * format, and this channel says it again in Anthropic's — a message body, the event stream, or an
 * error in Anthropic's shape with the gateway's status. Headers (request id, cost, routed model)
 * pass through unchanged.
 */
public final class AnthropicChannel extends ForwardingChannel {

  private final String requestId;
  private AnthropicEvents events;

  /**
   * @param transport the raw connection; its own {@code sendError} is never used (it speaks OpenAI)
   */
  public AnthropicChannel(ClientChannel transport, String requestId) {
    super(transport);
    this.requestId = requestId;
  }

  @Override
  public void sendError(GatewayError error) {
    AnthropicErrors.send(next, error, requestId);
  }

  @Override
  public void sendBody(int status, Map<String, String> headers, byte[] body) {
    if (status < 200 || status >= 300) {
      next.sendBody(status, headers, body);
      return;
    }
    byte[] message;
    try {
      message = OpenAiToAnthropic.message(body);
    } catch (IOException | OpenAiToAnthropic.Unrepresentable e) {
      sendError(GatewayError.of(dev.tollgate.pipeline.ErrorKind.UPSTREAM_ERROR,
          e instanceof OpenAiToAnthropic.Unrepresentable ? e.getMessage()
              : "The model's answer could not be read as a chat completion: " + e.getMessage()));
      return;
    }
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put("content-type", "application/json");
    next.sendBody(status, h, message);
  }

  @Override
  public void startStream(int status, Map<String, String> headers) {
    events = new AnthropicEvents();
    next.startStream(status, headers);
  }

  @Override
  public void write(byte[] data) {
    if (events == null) return;
    byte[] out = events.accept(data);
    if (out.length > 0) next.write(out);
  }

  @Override
  public void end() {
    if (events != null) {
      byte[] out = events.end();
      if (out.length > 0) next.write(out);
    }
    next.end();
  }
}
