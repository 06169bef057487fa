package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.contract.Contract;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** {@code contracts:}: negotiated and self-hosted terms, every mistake refused with its key path. */
class ContractsConfigTest {

  private static final String BASE = """
      providers:
        openai: { type: openai, api_key: sk-test }
        local:  { type: openai-compatible, base_url: http://127.0.0.1:8000/v1 }
      models:
        gpt-4o-mini: { provider: openai }
        llama:       { provider: local, upstream: llama-3.1-70b, price: { input_per_mtok: 0, output_per_mtok: 0 } }
      """;

  static GatewayConfig parse(String contracts) {
    return ConfigLoader.parse(BASE + contracts, "test.yaml", name -> null, null);
  }

  @Test
  void negotiatedAndSelfHostedTermsAreReadExactly() {
    GatewayConfig c = parse("""
        contracts:
          openai-2026:
            provider: openai
            valid_from: 2026-01-01
            valid_until: 2027-01-01
            discount_percent: 12.5
            commitment_usd_per_month: 10000
            included_usd_per_month: 250.000000001
            overage_discount_percent: 5
          llama-gpu:
            provider: local
            model: llama
            valid_from: 2026-06-01
            self_hosted: { hourly_cost_usd: 4.10, tokens_per_hour: 2000000 }
          llama-measured:
            provider: local
            valid_from: 2026-06-01
            self_hosted: { hourly_cost_usd: 1, tokens_per_hour: measured }
        """);
    assertThat(c.contracts()).containsExactly(
        new Contract("openai-2026", "openai", null, LocalDate.of(2026, 1, 1), LocalDate.of(2027, 1, 1),
            new Contract.Negotiated(new BigDecimal("12.5"), 10_000_000_000_000L, 250_000_000_001L, 0, new BigDecimal("5"))),
        new Contract("llama-gpu", "local", "llama", LocalDate.of(2026, 6, 1), null,
            new Contract.SelfHosted(4_100_000_000L, 2_000_000L)),
        new Contract("llama-measured", "local", null, LocalDate.of(2026, 6, 1), null, new Contract.SelfHosted(1_000_000_000L, null)));
  }

  @Test
  void noContractsMeansListPrices() {
    assertThat(parse("").contracts()).isEmpty();
  }

  @Test
  void mistakesAreRefusedWithTheirKeyPaths() {
    assertThatThrownBy(() -> parse("""
        contracts:
          a:
            provider: azure
            model: nope
            valid_from: soon
            discount_percent: 120
            commitment_usd_per_month: 0.0000000001
            included_usd_per_month: 5
            included_tokens_per_month: 5
            seats: 3
          b:
            provider: openai
            model: llama
            valid_from: 2026-01-01
            valid_until: 2025-01-01
            overage_discount_percent: 5
          c:
            provider: local
            valid_from: 2026-01-01
            discount_percent: 10
            self_hosted: { tokens_per_hour: 0 }
          d:
            provider: openai
            valid_from: 2027-01-01
            discount_percent: 12.34567
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("contracts.a.provider: names no provider; known: openai, local")
        .hasMessageContaining("contracts.a.model: names no model")
        .hasMessageContaining("contracts.a.valid_from: must be a date such as 2026-01-01")
        .hasMessageContaining("contracts.a.discount_percent: must be a percentage from 0 to 100")
        .hasMessageContaining("contracts.a.commitment_usd_per_month: must be whole nano-dollars")
        .hasMessageContaining("contracts.a.included_tokens_per_month: cannot be combined with included_usd_per_month")
        .hasMessageContaining("unknown key 'seats' under contracts.a")
        .hasMessageContaining("contracts.b.model: is not served by provider 'openai'")
        .hasMessageContaining("contracts.b.valid_until: must be after valid_from")
        .hasMessageContaining("contracts.b.overage_discount_percent: applies only beyond a commitment")
        .hasMessageContaining("contracts.c.discount_percent: does not apply to a self_hosted contract")
        .hasMessageContaining("contracts.c.self_hosted.hourly_cost_usd: is required")
        .hasMessageContaining("contracts.c.self_hosted.tokens_per_hour: must be a whole number of at least 1")
        .hasMessageContaining("contracts.d.discount_percent: may have at most 4 decimals");
  }

  @Test
  void twoContractsOfTheSameScopeCannotOverlap() {
    assertThatThrownBy(() -> parse("""
        contracts:
          old: { provider: openai, valid_from: 2025-01-01, valid_until: 2026-02-01, discount_percent: 5 }
          new: { provider: openai, valid_from: 2026-01-01, discount_percent: 10 }
        """)).hasMessageContaining("contracts.new: is in force on the same days as contracts.old");
    // back to back is fine, and a model-specific contract may sit inside a provider-wide one
    assertThat(parse("""
        contracts:
          old: { provider: openai, valid_from: 2025-01-01, valid_until: 2026-01-01, discount_percent: 5 }
          new: { provider: openai, valid_from: 2026-01-01, discount_percent: 10 }
          mini: { provider: openai, model: gpt-4o-mini, valid_from: 2026-01-01, discount_percent: 30 }
        """).contracts()).hasSize(3);
  }
}
