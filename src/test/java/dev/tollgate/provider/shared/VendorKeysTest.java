package dev.tollgate.provider.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.FakeAnthropic;
import dev.tollgate.testing.FakeAzureOpenAi;
import dev.tollgate.testing.FakeGemini;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several keys work for every vendor that takes one, each in the vendor's own header. */
class VendorKeysTest {

  static final String KEY = "tg-vendor-keys-app-0001";
  static final String PRICE = "price: { input_per_mtok: 1, output_per_mtok: 2 }";

  @TempDir static Path dir;
  static FakeAnthropic anthropic;
  static FakeAzureOpenAi azure;
  static FakeGemini gemini;
  static TestGateway gw;

  @BeforeAll
  static void start() {
    anthropic = new FakeAnthropic();
    azure = new FakeAzureOpenAi();
    gemini = new FakeGemini();
    gw = TestGateway.start("""
        storage: sqlite:${DIR}/ledger.db
        providers:
          claude: { type: anthropic, base_url: "${ANTHROPIC}", api_keys: [ sk-ant-one, sk-ant-two ] }
          az:     { type: azure-openai, base_url: "${AZURE}", api_version: 2024-10-21,
                    api_keys: [ { key: wrong-azure-key, name: old-key }, { key: "${AZURE_KEY}", name: current } ] }
          google: { type: gemini, base_url: "${GEMINI}", api_keys: [ { key: "${GEMINI_KEY}", weight: 2 } ] }
        models:
          sonnet: { provider: claude, upstream: claude-sonnet-test, %1$s }
          gpt-4o: { provider: az, upstream: gpt4o-prod, %1$s }
          flash:  { provider: google, upstream: gemini-2.5-flash, %1$s }
        keys:
          - { name: app, secret: tg-vendor-keys-app-0001 }
        """.formatted(PRICE), Map.of("DIR", dir.toString(), "ANTHROPIC", anthropic.baseUrl(), "AZURE", azure.endpoint(),
        "AZURE_KEY", FakeAzureOpenAi.KEY, "GEMINI", gemini.baseUrl(), "GEMINI_KEY", FakeGemini.KEY), dir);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (anthropic != null) anthropic.close();
    if (azure != null) azure.close();
    if (gemini != null) gemini.close();
  }

  static HttpResponse<String> ask(String model) {
    return gw.post("/v1/chat/completions", KEY,
        "{\"model\":\"" + model + "\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
  }

  @Test
  void anthropicKeysTakeTurnsInXApiKey() {
    for (int i = 0; i < 4; i++) assertThat(ask("sonnet").statusCode()).isEqualTo(200);
    List<String> sent = anthropic.headers().stream().map(h -> h.get("x-api-key")).toList();
    assertThat(sent).containsExactly("sk-ant-one", "sk-ant-two", "sk-ant-one", "sk-ant-two");
  }

  @Test
  void anAzureKeyTheResourceRefusesIsReplacedByTheNextWithinTheSameRequest() {
    for (int i = 0; i < 3; i++) assertThat(ask("gpt-4o").statusCode()).isEqualTo(200);
    assertThat(azure.received().stream().map(FakeAzureOpenAi.Received::apiKey).toList())
        .as("the refused key once, then only the current one")
        .containsExactly("wrong-azure-key", FakeAzureOpenAi.KEY, FakeAzureOpenAi.KEY, FakeAzureOpenAi.KEY);
    assertThat(gw.get("/metrics", null).body())
        .contains("tollgate_credential_cooldowns_total{credential=\"old-key\",provider=\"az\",status=\"401\"} 1.0")
        .doesNotContain("wrong-azure-key");
  }

  @Test
  void aGeminiKeyFromTheListGoesInXGoogApiKey() {
    assertThat(ask("flash").statusCode()).isEqualTo(200);
    assertThat(gemini.last().apiKey()).isEqualTo(FakeGemini.KEY);
  }
}
