package dev.tollgate.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a config reload puts in the audit log: which sections changed, which secrets changed, and never a secret. */
class ConfigFingerprintTest {

  static final String YAML = """
      storage: postgresql://tollgate:pg-password-123@db.internal:5432/tollgate
      admin: { token: admin-token-secret-0123456789 }
      providers:
        openai: { type: openai, api_key: sk-openai-secret-1, headers: { OpenAI-Organization: org-secret-42 } }
        sim: { type: simulator }
      models:
        gpt-4o-mini: { provider: openai, tier: economy }
        fast: { provider: sim, tier: economy, price: { input_per_mtok: 1, output_per_mtok: 1 } }
      teams:
        support: {}
      alerts:
        channels:
          - { type: webhook, url: "https://hooks.example.com/T000/B000/hook-secret-77", secret: webhook-secret-9 }
      keys:
        - { name: triage-bot, secret: tg-key-secret-000000001, team: support }
      """;
  static final String[] SECRETS = {"pg-password-123", "admin-token-secret", "sk-openai-secret-1", "org-secret-42",
      "hook-secret-77", "webhook-secret-9", "tg-key-secret"};

  static ConfigFingerprint of(String yaml) {
    GatewayConfig c = ConfigLoader.parse(yaml, "tollgate.yaml", Map.<String, String>of()::get, Path.of("."));
    return ConfigFingerprint.of(c);
  }

  @Test
  void theFingerprintHoldsOneHashPerSectionAndNoSecret() {
    ConfigFingerprint f = of(YAML);
    assertThat(f.sections()).containsKeys("providers", "models", "teams", "keys", "admin", "alerts", "storage");
    assertThat(f.sections().values()).allSatisfy(h -> assertThat(h).matches("[0-9a-f]{64}"));
    String json = f.sectionsJson();
    for (String secret : SECRETS) assertThat(json).doesNotContain(secret);
  }

  @Test
  void aChangedModelNamesItsSectionAndNoSecret() {
    ConfigFingerprint before = of(YAML);
    ConfigFingerprint after = of(YAML.replace("fast: { provider: sim, tier: economy", "fast: { provider: sim, tier: premium"));
    assertThat(after.changedSince(before)).containsExactly("models");
    assertThat(after.secretsChangedSince(before)).isEmpty();
  }

  @Test
  void aRotatedSecretIsNamedByItsPathNotItsValue() {
    ConfigFingerprint before = of(YAML);
    ConfigFingerprint after = of(YAML.replace("sk-openai-secret-1", "sk-openai-secret-2").replace("tg-key-secret-000000001",
        "tg-key-secret-000000002"));
    assertThat(after.changedSince(before)).as("the hashes leave secrets out, so they cannot be guessed back").isEmpty();
    assertThat(after.secretsChangedSince(before)).containsExactly("keys.triage-bot.secret", "providers.openai.apiKey",
        "providers.openai.credentials.0.key");
    assertThat(of(YAML.replace("pg-password-123", "pg-password-456")).secretsChangedSince(before)).containsExactly("storage");
  }

  @Test
  void commentsAndTheOrderOfMapKeysChangeNothing() {
    ConfigFingerprint before = of(YAML);
    String reordered = YAML.replace("""
          gpt-4o-mini: { provider: openai, tier: economy }
          fast: { provider: sim, tier: economy, price: { input_per_mtok: 1, output_per_mtok: 1 } }
        """, """
          fast: { provider: sim, tier: economy, price: { input_per_mtok: 1, output_per_mtok: 1 } }   # moved up
          gpt-4o-mini: { provider: openai, tier: economy }
        """);
    assertThat(reordered).isNotEqualTo(YAML);
    ConfigFingerprint after = of("# edited\n" + reordered);
    assertThat(after.changedSince(before)).isEmpty();
    assertThat(after.secretsChangedSince(before)).isEmpty();
  }
}
