package dev.tollgate.pipeline.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Prompt fingerprints and the canonical form the cache key is built on. */
class PromptFingerprintTest {

  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  static String canonical(String s, Set<String> skip) throws Exception {
    MessageDigest d = Canonical.sha256();
    Canonical.feed(d, json(s), skip);
    return Canonical.hex(d.digest(), 32);
  }

  @Test
  void fieldOrderAndNumberSpellingDoNotChangeTheCanonicalHashButValuesDo() throws Exception {
    String a = canonical("{\"temperature\":0.70,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Set.of());
    String b = canonical("{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"temperature\":0.7}", Set.of());
    String c = canonical("{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"temperature\":0.8}", Set.of());
    String d = canonical("{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"temperature\":\"0.7\"}", Set.of());
    assertThat(a).isEqualTo(b).isNotEqualTo(c).isNotEqualTo(d);
  }

  @Test
  void skippedTopLevelFieldsDoNotCount() throws Exception {
    Set<String> skip = Set.of("stream", "model");
    assertThat(canonical("{\"model\":\"a\",\"stream\":true,\"x\":1}", skip))
        .isEqualTo(canonical("{\"model\":\"b\",\"x\":1}", skip));
  }

  @Test
  void thePromptHashIgnoresModelAndSettingsButNotTheMessages() throws Exception {
    var a = PromptFingerprint.of(json("{\"model\":\"a\",\"temperature\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    var b = PromptFingerprint.of(json("{\"model\":\"b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    var c = PromptFingerprint.of(json("{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"ho\"}]}"));
    assertThat(a.promptHash()).isEqualTo(b.promptHash()).isNotEqualTo(c.promptHash()).hasSize(32);
  }

  @Test
  void onlyLongPromptsGetAPrefixHashAndItIgnoresWhatFollowsThePrefix() throws Exception {
    String system = "x".repeat(PromptFingerprint.PREFIX_CHARS);
    var one = PromptFingerprint.of(json("{\"messages\":[{\"role\":\"system\",\"content\":\"" + system
        + "\"},{\"role\":\"user\",\"content\":\"question one\"}]}"));
    var two = PromptFingerprint.of(json("{\"messages\":[{\"role\":\"system\",\"content\":\"" + system
        + "\"},{\"role\":\"user\",\"content\":\"question two\"}]}"));
    var shortOne = PromptFingerprint.of(json("{\"messages\":[{\"role\":\"user\",\"content\":\"short\"}]}"));
    assertThat(one.prefixHash()).isNotNull().isEqualTo(two.prefixHash());
    assertThat(one.promptHash()).isNotEqualTo(two.promptHash());
    assertThat(shortOne.prefixHash()).isNull();
  }
}
