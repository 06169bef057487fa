package dev.tollgate.pipeline.guard;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * Looks for personal data and secrets in the prompt (emails, phone numbers, payment cards, IBANs,
 * national ids, provider API keys, private keys) and does what the workload class says: count them
 * ({@code allow}), replace them by placeholders before the prompt leaves and put the allowed ones back
 * in the answer ({@code redact}), send the request to a private-tier model only ({@code route_private}),
 * or refuse it naming the kinds found — never the values ({@code block}). Requests without a class are
 * not scanned.
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
    for (JsonNode message : x.body().path("messages")) {
      if (!(message instanceof ObjectNode m)) continue;
      JsonNode content = m.get("content");
      if (content != null && content.isTextual()) {
        String redacted = scan(content.asText(), counts, session);
        if (session != null) m.set("content", TextNode.valueOf(redacted));
      } else if (content != null && content.isArray()) {
        for (JsonNode part : content) {
          if (part instanceof ObjectNode p && p.path("text").isTextual()) {
            String redacted = scan(p.get("text").asText(), counts, session);
            if (session != null) p.set("text", TextNode.valueOf(redacted));
          }
        }
      }
    }
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
