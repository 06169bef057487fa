package dev.tollgate.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.RequestTracing;
import java.io.IOException;
import java.io.StringWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prompt logging, for the workload classes that turn it on ({@code prompt_logging: true}) and for no
 * other request: one JSON line per request on the {@code tollgate.prompts} logger with the request id
 * (to join the access log line), the class, the prompt as the client sent it ({@code messages} or
 * {@code input}, after redaction by the guard) and the completion's text. Kept on its own logger so it
 * can be routed to a store with its own access and retention, apart from the access log.
 */
public final class PromptLog implements RequestTracing {

  private static final Logger log = LoggerFactory.getLogger("tollgate.prompts");
  private static final JsonFactory JSON = new ObjectMapper().getFactory();
  private final java.util.function.Consumer<String> sink;
  private final Trace checkAtEnd = this::written;

  /** Writes to the {@code tollgate.prompts} logger. */
  public PromptLog() {
    this(line -> {
      if (log.isInfoEnabled()) log.info(line);
    });
  }

  /** Writes each line to {@code sink} (tests). */
  public PromptLog(java.util.function.Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public Trace begin(Exchange x) {
    return checkAtEnd; // the class is not known yet: decided when the request ends
  }

  private void written(Exchange x) {
    if (x.promptLogging()) sink.accept(line(x));
  }

  static String line(Exchange x) {
    StringWriter w = new StringWriter(1024);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("request_id", x.requestId());
      g.writeStringField("workload_class", x.workloadClass().name());
      g.writeStringField("key", x.key() == null ? null : x.key().name());
      g.writeStringField("team", x.attribution().team());
      JsonNode body = x.body();
      JsonNode prompt = body == null ? null : body.has("messages") ? body.get("messages") : body.get("input");
      g.writeFieldName("prompt");
      if (prompt == null) g.writeNull();
      else g.writeTree(prompt);
      g.writeStringField("completion", x.completionText());
      g.writeEndObject();
    } catch (IOException e) {
      return "{\"request_id\":\"" + x.requestId() + "\"}";
    }
    return w.toString();
  }
}
