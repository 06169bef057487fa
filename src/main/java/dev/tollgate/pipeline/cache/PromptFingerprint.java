package dev.tollgate.pipeline.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Fingerprints of a prompt for the waste and prompt-caching reports, recorded on every ledger row
 * that got this far — never the prompt itself.
 *
 * <ul>
 *   <li>{@code prompt_hash}: the messages and tools in canonical form (not the model, temperature or
 *       stream flag), so that the same question asked of two models counts as a duplicate;
 *   <li>{@code prefix_hash}: the first {@value #PREFIX_CHARS} characters of the prompt's text (tools,
 *       then every message's role and text, in order), only when the prompt is at least that long —
 *       about the 1,024 tokens OpenAI and Anthropic need before they cache a prefix. Requests sharing
 *       it share a prefix a provider could cache.
 * </ul>
 */
public final class PromptFingerprint {

  /** About 1,024 tokens of English at four characters a token. */
  public static final int PREFIX_CHARS = 4096;

  private PromptFingerprint() {}

  public record Hashes(String promptHash, String prefixHash) {}

  public static Hashes of(JsonNode body) {
    MessageDigest digest = Canonical.sha256();
    Canonical.feed(digest, body.path("messages"), Set.of());
    Canonical.feed(digest, body.path("tools"), Set.of());
    String promptHash = Canonical.hex(digest.digest(), 16);
    String text = promptText(body);
    String prefixHash = null;
    if (text.length() >= PREFIX_CHARS) {
      byte[] prefix = text.substring(0, PREFIX_CHARS).getBytes(StandardCharsets.UTF_8);
      prefixHash = Canonical.hex(Canonical.sha256().digest(prefix), 16);
    }
    return new Hashes(promptHash, prefixHash);
  }

  /** The prompt's text in the order a provider's prefix cache reads it, up to what the prefix needs. */
  static String promptText(JsonNode body) {
    StringBuilder sb = new StringBuilder();
    JsonNode tools = body.get("tools");
    if (tools != null && !tools.isNull()) sb.append(tools);
    for (JsonNode message : body.path("messages")) {
      if (sb.length() >= PREFIX_CHARS) break;
      sb.append('\n').append(message.path("role").asText("")).append(": ");
      JsonNode content = message.get("content");
      if (content != null && content.isTextual()) {
        sb.append(content.asText());
      } else if (content != null && content.isArray()) {
        for (JsonNode part : content) if (part.path("text").isTextual()) sb.append(part.get("text").asText());
      }
    }
    return sb.toString();
  }
}
