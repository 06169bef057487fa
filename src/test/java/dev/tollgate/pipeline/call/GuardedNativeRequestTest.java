package dev.tollgate.pipeline.call;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Anthropic client talking to an Anthropic model normally has its own request passed through;
 * when the class redacts the prompt, what leaves must be the redacted prompt, not the client's own.
 */
class GuardedNativeRequestTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-native-guard-test-key-01";
  static final String PROMPT = "Mail ana.lopez@example.com about card 4111 1111 1111 1111";

  @TempDir static Path dir;
  static FakeAnthropic anthropic;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    anthropic = new FakeAnthropic();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          claude: { type: anthropic, api_key: sk-ant-test, base_url: "${ANTHROPIC}" }
        models:
          claude-sonnet-4-5: { provider: claude, price: { input_per_mtok: 3, output_per_mtok: 15 } }
        workload_classes:
          redacting: { pii: redact }
          counting:  { pii: allow }
        keys:
          - { name: k, secret: tg-native-guard-test-key-01 }
        """, Map.of("DIR", dir.toString(), "ANTHROPIC", anthropic.baseUrl()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (anthropic != null) anthropic.close();
  }

  static HttpResponse<String> messages(String cls, boolean stream) {
    String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":" + JSON.valueToTree(PROMPT) + "}]}";
    return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/v1/messages")).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").header("x-api-key", KEY).header("anthropic-version", "2023-06-01")
        .header("X-Tollgate-Workload-Class", cls).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void aRedactedPromptLeavesRedactedEvenToAModelOfTheClientsOwnProtocol() {
    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<String> r = messages("redacting", stream);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      String sent = anthropic.bodies().get(anthropic.bodies().size() - 1).toString();
      assertThat(sent).as("stream=%s", stream).doesNotContain("ana.lopez").doesNotContain("4111")
          .contains("[EMAIL_1]").contains("[PAYMENT_CARD_1]");
    }
  }

  @Test
  void anUnguardedPromptIsStillPassedThroughAsTheClientWroteIt() {
    HttpResponse<String> r = messages("counting", false);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(anthropic.bodies().get(anthropic.bodies().size() - 1).at("/messages/0/content").asText()).isEqualTo(PROMPT);
  }
}
