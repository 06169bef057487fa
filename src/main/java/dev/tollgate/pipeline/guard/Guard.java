package dev.tollgate.pipeline.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.domain.guard.Finding;
import dev.tollgate.domain.guard.Redactor;
import dev.tollgate.domain.guard.Scanner;
import dev.tollgate.domain.policy.PiiAction;
import dev.tollgate.domain.policy.WorkloadClass;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.Stage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Looks for personal data and secrets in the prompt (emails, phone numbers, payment cards, IBANs,
 * national ids, provider API keys, private keys) and does what the workload class says: count them
 * ({@code allow}), replace them by placeholders before the prompt leaves and put the allowed ones back
 * in the answer ({@code redact}), send the request to a private-tier model only ({@code route_private}),
 * or refuse it naming the kinds found — never the values ({@code block}). Requests without a class are
 * not scanned. Chat messages, and the instructions and input of embeddings and Responses API requests,
 * are scanned alike.
 */
public final class Guard implements Stage {

  private final Scanner scanner = Scanner.all();
  private final Redactor redactor = Redactor.withDefaultRestore();

  @Override
  public Decision apply(Exchange x) {
    WorkloadClass cls = x.workloadClass();
    if (cls == null) return Decision.CONTINUE;
    PiiAction action = cls.pii();
    Map<String, Integer> counts = new TreeMap<>();
    Redactor.Session session = action == PiiAction.REDACT ? redactor.session() : null;
    forEachText(x.body(), text -> {
      String redacted = scan(text, counts, session);
      return session != null ? redacted : text;
    });
    x.findings(counts);
    if (counts.isEmpty()) return Decision.CONTINUE;
    return switch (action) {
      case ALLOW -> Decision.CONTINUE;
      case REDACT -> {
        x.redaction(session.map());
        yield Decision.CONTINUE;
      }
      case ROUTE_PRIVATE -> {
        x.privateOnly(true);
        yield Decision.CONTINUE;
      }
      case BLOCK -> Decision.stop(GatewayError.of(ErrorKind.POLICY_VIOLATION,
          "The prompt contains " + describe(counts) + ", which the workload class '" + cls.name()
              + "' does not allow to leave. Remove it and send the request again.",
          Map.of("findings", List.copyOf(counts.keySet()))));
    };
  }

  /**
   * Hands every prompt text to {@code scan} and puts back what it returns: chat messages' contents
   * and text parts; the {@code instructions} and {@code input} of embeddings and Responses API
   * requests (a string, strings, or input items with text content). Token-id arrays hold no text.
   */
  private static void forEachText(ObjectNode body, UnaryOperator<String> scan) {
    for (JsonNode message : body.path("messages")) {
      if (message instanceof ObjectNode m) content(m, scan);
    }
    if (body.path("instructions").isTextual()) body.set("instructions", TextNode.valueOf(scan.apply(body.get("instructions").asText())));
    JsonNode input = body.get("input");
    if (input != null && input.isTextual()) body.set("input", TextNode.valueOf(scan.apply(input.asText())));
    else if (input instanceof ArrayNode items) {
      for (int i = 0; i < items.size(); i++) {
        JsonNode item = items.get(i);
        if (item.isTextual()) items.set(i, TextNode.valueOf(scan.apply(item.asText())));
        else if (item instanceof ObjectNode o) content(o, scan);
      }
    }
  }

  private static void content(ObjectNode holder, UnaryOperator<String> scan) {
    JsonNode content = holder.get("content");
    if (content != null && content.isTextual()) holder.set("content", TextNode.valueOf(scan.apply(content.asText())));
    else if (content != null && content.isArray()) {
      for (JsonNode part : content) {
        if (part instanceof ObjectNode p && p.path("text").isTextual()) p.set("text", TextNode.valueOf(scan.apply(p.get("text").asText())));
      }
    }
  }

  private String scan(String text, Map<String, Integer> counts, Redactor.Session session) {
    List<Finding> findings = scanner.scan(text);
    for (Finding f : findings) counts.merge(f.type().wire(), 1, Integer::sum);
    return session == null || findings.isEmpty() ? text : session.redact(text, findings);
  }

  /** "2 email addresses and 1 payment_card" — kinds and counts only. */
  static String describe(Map<String, Integer> counts) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    for (var e : counts.entrySet()) {
      if (i > 0) sb.append(i == counts.size() - 1 ? " and " : ", ");
      sb.append(e.getValue()).append(' ').append(e.getKey().replace('_', ' '));
      i++;
    }
    return sb.toString();
  }
}
