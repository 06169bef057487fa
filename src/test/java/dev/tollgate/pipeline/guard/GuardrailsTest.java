package dev.tollgate.pipeline.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.usage.UsageRecord;
import dev.tollgate.testing.FakeOpenAi;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sensitive data in prompts is redacted, rerouted or blocked as the workload class says — and never echoed. */
class GuardrailsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String EMAIL = "ana.lopez@example.com";
  static final String CARD = "4111 1111 1111 1111";
  static final String PROMPT = "Mail " + EMAIL + " about the refund to card " + CARD + " today";

  @TempDir static Path dir;
  static FakeOpenAi upstream;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
    String price = "price: { input_per_mtok: 1, output_per_mtok: 2 }";
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          fake: { type: openai-compatible, base_url: "${UPSTREAM}" }
        models:
          public-echo:  { provider: fake, upstream: echo, tier: economy, %1$s }
          private-echo: { provider: fake, upstream: echo, tier: private, %1$s }
        workload_classes:
          redacting: { pii: redact }
          blocking:  { pii: block }
          private:   { pii: route_private }
          counting:  { pii: allow }
          watched:   { pii: allow, output_guard: true }
        keys:
          - { name: k, secret: tg-guard-test-key-000000001 }
        """.formatted(price), Map.of("DIR", dir.toString(), "UPSTREAM", upstream.baseUrl()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (upstream != null) upstream.close();
  }

  static HttpResponse<String> ask(String cls, String text, boolean stream) {
    return gw.post("/v1/chat/completions", "tg-guard-test-key-000000001",
        "{\"model\":\"public-echo\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":" + JSON.valueToTree(text) + "}]}",
        "X-Tollgate-Workload-Class", cls);
  }

  static String lastUpstreamPrompt() {
    JsonNode body = upstream.bodies().get(upstream.bodies().size() - 1);
    return body.at("/messages/0/content").asText();
  }

  @Test
  void redactionHidesTheValuesFromTheProviderAndPutsBackOnlyWhatIsSafe() throws Exception {
    HttpResponse<String> r = ask("redacting", PROMPT, false);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(lastUpstreamPrompt()).contains("[EMAIL_1]").contains("[PAYMENT_CARD_1]").doesNotContain(EMAIL).doesNotContain("4111");
    String answer = JSON.readTree(r.body()).at("/choices/0/message/content").asText();
    assertThat(answer).as("an email may come back; a card number never").contains(EMAIL).contains("[PAYMENT_CARD_1]").doesNotContain("4111");
    UsageRecord row = gw.row(r);
    assertThat(row.guardFindings()).containsEntry("email", 1).containsEntry("payment_card", 1);
  }

  @Test
  void redactionIsUndoneInAStreamEvenWhenAPlaceholderIsCutBetweenEvents() throws Exception {
    HttpResponse<String> r = ask("redacting", PROMPT, true);
    StringBuilder text = new StringBuilder();
    for (String line : r.body().split("\n")) {
      if (!line.startsWith("data: {")) continue;
      JsonNode c = JSON.readTree(line.substring(6)).at("/choices/0/delta/content");
      if (c.isTextual()) text.append(c.asText());
    }
    assertThat(text.toString()).isEqualTo(PROMPT.replace(CARD, "[PAYMENT_CARD_1]"));
  }

  @Test
  void blockingRefusesNamingTheKindsFoundNeverTheValues() throws Exception {
    int calls = upstream.bodies().size();
    HttpResponse<String> r = ask("blocking", PROMPT, false);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode err = JSON.readTree(r.body()).get("error");
    assertThat(err.get("code").asText()).isEqualTo("policy_violation");
    assertThat(err.get("message").asText()).contains("1 email").contains("1 payment card");
    assertThat(r.body()).doesNotContain(EMAIL).doesNotContain("4111");
    assertThat(upstream.bodies()).as("nothing left the gateway").hasSize(calls);
    assertThat(gw.row(r).guardFindings()).containsEntry("payment_card", 1);
  }

  @Test
  void routePrivateSendsSensitivePromptsToAPrivateModelOnly() {
    HttpResponse<String> r = ask("private", PROMPT, false);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).hasValue("private-echo");
    assertThat(gw.row(r).routeReason()).isEqualTo("pii_private");
    HttpResponse<String> clean = ask("private", "What is our refund policy?", false);
    assertThat(clean.headers().firstValue("x-tollgate-routed-model")).as("no finding, no detour").isEmpty();
  }

  @Test
  void lookAlikesAreNotFlagged() {
    HttpResponse<String> r = ask("counting", "Order #4111111111111112 shipped 2026-11-25T10:15:30Z, id 3f2c9a1e-8b7d-4c1a-9e2f-0a1b2c3d4e5f", false);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(gw.row(r).guardFindings()).isEmpty();
  }

  @Test
  void theOutputGuardRedactsSecretsInAnAnswer() throws Exception {
    String key = "sk-proj-" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4";
    HttpResponse<String> r = ask("watched", "Use the key " + key + " to call it", false);
    String answer = JSON.readTree(r.body()).at("/choices/0/message/content").asText();
    assertThat(answer).doesNotContain(key).contains("[API_KEY_1]");
    assertThat(gw.row(r).guardFindings()).containsEntry("api_key", 1).containsEntry("output_api_key", 1);
  }
}
