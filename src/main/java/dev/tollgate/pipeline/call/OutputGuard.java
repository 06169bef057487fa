package dev.tollgate.pipeline.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.guard.Finding;
import dev.tollgate.domain.guard.Redactor;
import dev.tollgate.domain.guard.Scanner;
import dev.tollgate.pipeline.Exchange;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The optional output guard of a workload class ({@code output_guard: true}): secrets and personal
 * data in a model's whole answer are replaced by placeholders before it reaches the client, and counted
 * in the ledger as {@code output_<kind>}. Streamed answers are not scanned in this build.
 */
final class OutputGuard {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Scanner SCANNER = Scanner.all();
  private static final Redactor REDACTOR = new Redactor(EnumSet.noneOf(dev.tollgate.domain.guard.FindingType.class));

  private OutputGuard() {}

  static byte[] redact(byte[] answer, Exchange x) {
    try {
      JsonNode root = JSON.readTree(answer);
      Map<String, Integer> counts = new TreeMap<>(x.findings());
      Redactor.Session session = REDACTOR.session();
      boolean changed = false;
      for (JsonNode choice : root.path("choices")) {
        JsonNode content = choice.path("message").get("content");
        if (content == null || !content.isTextual()) continue;
        List<Finding> found = SCANNER.scan(content.asText());
        if (found.isEmpty()) continue;
        for (Finding f : found) counts.merge("output_" + f.type().wire(), 1, Integer::sum);
        ((ObjectNode) choice.get("message")).put("content", session.redact(content.asText(), found));
        changed = true;
      }
      if (!changed) return answer;
      x.findings(counts);
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      return answer;
    }
  }
}
