package dev.tollgate.pipeline.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.guard.Finding;
import dev.tollgate.domain.guard.FindingType;
import dev.tollgate.domain.guard.Redactor;
import dev.tollgate.domain.guard.Scanner;
import dev.tollgate.domain.policy.OutputAction;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import java.io.IOException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The optional output guard of a workload class ({@code output_guard: redact | block}) on a whole
 * answer: secrets and personal data in the model's message texts are replaced by placeholders before
 * the answer reaches the client, or the answer is withheld with 400 {@code policy_violation}. Either
 * way the findings are counted in the ledger as {@code output_<kind>}. Streamed answers are guarded by
 * {@link StreamOutputGuard}.
 */
final class OutputGuard {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Scanner SCANNER = Scanner.all();
  /** Nothing found in an answer is ever put back: the placeholders are what the client may see. */
  static final Redactor REDACTOR = new Redactor(EnumSet.noneOf(FindingType.class));

  private OutputGuard() {}

  /** True when the request's class guards its answers. */
  static boolean on(Exchange x) {
    return x.workloadClass() != null && x.workloadClass().outputGuard();
  }

  /** What the guard made of a whole answer: the bytes to send, or the refusal to send instead. */
  record Verdict(byte[] answer, GatewayError refusal) {}

  static Verdict whole(byte[] answer, Exchange x) {
    boolean block = x.workloadClass().output() == OutputAction.BLOCK;
    try {
      JsonNode root = JSON.readTree(answer);
      Map<String, Integer> counts = new TreeMap<>(x.findings());
      Redactor.Session session = REDACTOR.session();
      List<FindingType> seen = new java.util.ArrayList<>();
      boolean changed = false;
      for (JsonNode choice : root.path("choices")) {
        JsonNode content = choice.path("message").get("content");
        if (content == null || !content.isTextual()) continue;
        List<Finding> found = SCANNER.scan(content.asText());
        if (found.isEmpty()) continue;
        for (Finding f : found) seen.add(f.type());
        if (!block) ((ObjectNode) choice.get("message")).put("content", session.redact(content.asText(), found));
        changed = true;
      }
      if (!changed) return new Verdict(answer, null);
      count(x, seen);
      if (block) return new Verdict(null, refusal(x, seen));
      return new Verdict(JSON.writeValueAsBytes(root), null);
    } catch (IOException e) {
      return new Verdict(answer, null);
    }
  }

  /** Adds output findings to the request's counts for the ledger ({@code output_api_key → 1}). */
  static void count(Exchange x, Collection<FindingType> found) {
    if (found.isEmpty()) return;
    Map<String, Integer> counts = new TreeMap<>(x.findings());
    for (FindingType t : found) counts.merge("output_" + t.wire(), 1, Integer::sum);
    x.findings(counts);
  }

  /** The refusal of an answer that held what the class does not let reach the client; it names kinds, never values. */
  static GatewayError refusal(Exchange x, Collection<FindingType> found) {
    Map<String, Integer> byKind = new TreeMap<>();
    for (FindingType t : found) byKind.merge(t.wire().replace('_', ' '), 1, Integer::sum);
    StringBuilder kinds = new StringBuilder();
    byKind.forEach((k, n) -> kinds.append(kinds.length() == 0 ? "" : ", ").append(n).append(' ').append(k));
    return GatewayError.of(ErrorKind.POLICY_VIOLATION, "The model's answer contained " + kinds + ", which the workload class '"
        + x.workloadClass().name() + "' does not let reach the client; the answer was withheld. Ask again without "
        + "requesting such data, or use a class without an output guard.",
        Map.of("findings", found.stream().map(t -> "output_" + t.wire()).distinct().toList()));
  }
}
