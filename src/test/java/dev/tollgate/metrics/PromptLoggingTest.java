package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.tracing.Tracing;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompts and completions are logged only for a class that turns prompt logging on; the access log never has them. */
class PromptLoggingTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String AUDITED = "tg-prompts-audited-key-0001";
  static final String PLAIN = "tg-prompts-plain-key-000001";

  @TempDir static Path dir;
  static TestGateway gw;
  static final List<String> lines = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    var cfg = TestGateway.parse("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        providers:
          sim: { type: simulator, output_tokens: 5 }
        models:
          gpt-4o-mini: { provider: sim }
        workload_classes:
          audited: { prompt_logging: true }
          everyday: {}
        teams:
          legal: {}
        keys:
          - { name: contracts, secret: tg-prompts-audited-key-0001, team: legal, workload_class: audited }
          - { name: chat, secret: tg-prompts-plain-key-000001, team: legal, workload_class: everyday }
        """, Map.of("DIR", dir.toString()), dir);
    gw = TestGateway.start(cfg, Clock.systemUTC(), Tracing.of(new PromptLog(lines::add)));
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static HttpResponse<String> chat(String key, String words, boolean stream) {
    return gw.post("/v1/chat/completions", key, "{\"model\":\"gpt-4o-mini\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + words + "\"}]}");
  }

  static List<JsonNode> logged(String requestId) throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (String l : lines) {
      JsonNode n = JSON.readTree(l);
      if (n.get("request_id").asText().equals(requestId)) out.add(n);
    }
    return out;
  }

  static String id(HttpResponse<String> r) {
    return r.headers().firstValue("x-tollgate-request-id").orElseThrow();
  }

  @Test
  void aClassWithPromptLoggingHasItsPromptAndCompletionLogged() throws Exception {
    HttpResponse<String> r = chat(AUDITED, "Review clause 7 of the NDA", false);
    assertThat(r.statusCode()).isEqualTo(200);
    String answer = JSON.readTree(r.body()).at("/choices/0/message/content").asText();
    await().atMost(Duration.ofSeconds(5)).until(() -> !logged(id(r)).isEmpty());
    JsonNode line = logged(id(r)).get(0);
    assertThat(line.get("workload_class").asText()).isEqualTo("audited");
    assertThat(line.get("team").asText()).isEqualTo("legal");
    assertThat(line.at("/prompt/0/content").asText()).isEqualTo("Review clause 7 of the NDA");
    assertThat(line.get("completion").asText()).isNotEmpty().isEqualTo(answer);

    HttpResponse<String> streamed = chat(AUDITED, "Summarise clause 9", true);
    await().atMost(Duration.ofSeconds(5)).until(() -> !logged(id(streamed)).isEmpty());
    assertThat(logged(id(streamed)).get(0).get("completion").asText()).isNotEmpty();
  }

  @Test
  void otherClassesAndTheAccessLogNeverCarryPromptsOrCompletions() throws Exception {
    HttpResponse<String> r = chat(PLAIN, "My card is 4111 1111 1111 1111", false);
    assertThat(r.statusCode()).isEqualTo(200);
    HttpResponse<String> audited = chat(AUDITED, "Private contract text", false);
    await().atMost(Duration.ofSeconds(5)).until(() -> !logged(id(audited)).isEmpty());
    assertThat(logged(id(r))).as("prompt logging is off by default").isEmpty();

    String access = AccessLog.line(gw.row(r));
    JsonNode a = JSON.readTree(access);
    assertThat(a.get("request_id").asText()).isEqualTo(id(r));
    assertThat(a.get("team").asText()).isEqualTo("legal");
    assertThat(a.get("key").asText()).isEqualTo("chat");
    assertThat(a.get("workload_class").asText()).isEqualTo("everyday");
    assertThat(access).doesNotContain("4111").doesNotContain(PLAIN)
        .doesNotContain(JSON.readTree(r.body()).at("/choices/0/message/content").asText());
    assertThat(AccessLog.line(gw.row(audited))).as("not even for a class that logs prompts").doesNotContain("Private contract");
  }

  @Test
  void promptLoggingMustBeSaidPlainly() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        workload_classes:
          audited: { prompt_logging: sometimes }
        """, "t.yaml", k -> null, dir)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("workload_classes.audited.prompt_logging");
  }
}
