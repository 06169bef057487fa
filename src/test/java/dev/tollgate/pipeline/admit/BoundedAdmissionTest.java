package dev.tollgate.pipeline.admit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.TestGateway;
import dev.tollgate.tokens.JtokkitTokenCounter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission reserves a cheap upper bound on the prompt's tokens (its UTF-8 length) and counts
 * exactly only where the bound would decide. A user must never notice the bound: a request whose
 * exact worst case fits is admitted and served on the model it asked for; one that does not fit is
 * refused with its exact figures.
 */
class BoundedAdmissionTest {

  static final ObjectMapper JSON = new ObjectMapper();
  /** ~120 tokens of English; its UTF-8 length (~560) is more than four times that. */
  static final String PROMPT = "Please summarise the following support ticket in two short sentences and say which team "
      .repeat(6);

  @TempDir static Path dir;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        admin: { token: test-admin-token-0123456789 }
        providers:
          sim: { type: simulator, output_tokens: 10 }
        models:
          gpt-4o-mini: { provider: sim, tier: economy }
          gpt-4o: { provider: sim, tier: standard }
        keys:
          - { name: percall, secret: tg-bound-percall-00000001 }
          - { name: daily, secret: tg-bound-daily-0000000001 }
          - { name: dg, secret: tg-bound-downgrade-000001 }
        budgets:
          - { scope: "key:percall", window: request, input_tokens: 300 }
          - { scope: "key:daily", window: day, input_tokens: 400 }
          - { scope: "key:dg", window: day, input_tokens: 300, on_exceed: downgrade }
        """, Map.of("DIR", dir.toString()), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  static String chat(String model, String prompt) throws Exception {
    return "{\"model\":\"" + model + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":"
        + JSON.writeValueAsString(prompt) + "}]}";
  }

  static long exactPromptTokens(String model, String prompt) {
    // OpenAI's recipe: 3 per reply, 3 per message, plus the role and the content.
    JtokkitTokenCounter tokens = new JtokkitTokenCounter();
    return 3 + 3 + tokens.count(model, "user") + tokens.count(model, prompt);
  }

  @Test
  void theFixtureHasABoundWellAboveTheExactCount() {
    assertThat(exactPromptTokens("gpt-4o", PROMPT)).isLessThan(150);
    assertThat(PROMPT.length()).isGreaterThan(500);
  }

  @Test
  void aPerRequestCapBetweenTheExactCountAndTheBoundAdmitsTheRequest() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", "tg-bound-percall-00000001", chat("gpt-4o", PROMPT));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(gw.row(r).usage().inputTokens()).isEqualTo(exactPromptTokens("gpt-4o", PROMPT));
  }

  @Test
  void aPerRequestRefusalNamesTheExactCountNotTheBound() throws Exception {
    String twice = PROMPT.repeat(4);
    HttpResponse<String> r = gw.post("/v1/chat/completions", "tg-bound-percall-00000001", chat("gpt-4o", twice));
    assertThat(r.statusCode()).isEqualTo(429);
    String message = JSON.readTree(r.body()).path("error").path("message").asText();
    assertThat(message).contains(Long.toString(exactPromptTokens("gpt-4o", twice)))
        .doesNotContain(Long.toString(twice.length()));
  }

  @Test
  void aWindowedCapIsFilledToTheExactCountsNotTheBounds() throws Exception {
    long each = exactPromptTokens("gpt-4o-mini", PROMPT);
    long fit = 400 / each; // 3: their bounds (~570 each) would not even let the first one in
    for (int i = 0; i < fit; i++) {
      HttpResponse<String> r = gw.post("/v1/chat/completions", "tg-bound-daily-0000000001", chat("gpt-4o-mini", PROMPT));
      assertThat(r.statusCode()).as("request %d of %d", i + 1, fit).isEqualTo(200);
    }
    HttpResponse<String> over = gw.post("/v1/chat/completions", "tg-bound-daily-0000000001", chat("gpt-4o-mini", PROMPT));
    assertThat(over.statusCode()).isEqualTo(429);
  }

  @Test
  void aDowngradeBudgetIsJudgedOnTheExactCount() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", "tg-bound-downgrade-000001", chat("gpt-4o", PROMPT));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(gw.row(r).servedModel()).isEqualTo("gpt-4o");
    assertThat(r.headers().firstValue("x-tollgate-routed-model")).isEmpty();
  }
}
