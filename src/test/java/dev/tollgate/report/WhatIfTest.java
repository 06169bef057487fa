package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhatIfTest {

  static final Price MINI = Price.flat(Rates.of(150_000_000, 600_000_000), "catalog"); // $0.15 / $0.60 per Mtok

  @Test
  void aPlannedWorkflowIsPricedPerCallAsTheLedgerWouldThenMultiplied() {
    var e = WhatIf.estimate(new WhatIf.Plan("gpt-4o-mini", 1_000, 1_200, 0, 300, 0, 30), MINI);
    // 1200 × 0.15 + 300 × 0.60 = 360 µ$ per call
    assertThat(e.perCall()).isEqualTo(Money.ofUsd("0.00036"));
    assertThat(e.perDay()).isEqualTo(Money.ofUsd("0.36"));
    assertThat(e.total()).isEqualTo(Money.ofUsd("10.8"));
  }

  @Test
  void eachCallIsRoundedToTheNanoBeforeMultiplyingLikeTheLedger() {
    // 7 tokens at $0.02/Mtok = 140 nanos; 1 token at $0.15/Mtok = 150 nanos; 1 token at $0.0000015 → 0.0015 nanos → 0
    Price tiny = Price.flat(Rates.of(1_500, 1_500), "x");
    assertThat(WhatIf.estimate(new WhatIf.Plan("m", 1_000_000, 1, 0, 0, 0, 30), tiny).total()).isEqualTo(Money.ZERO);
  }

  @Test
  void aTieredPriceIsChosenByThePromptSize() {
    Price tiered = new Price(Rates.of(1_000_000_000, 1_000_000_000), List.of(new PriceTier(200_000, Rates.of(2_000_000_000,
        2_000_000_000))), "catalog");
    assertThat(WhatIf.estimate(new WhatIf.Plan("g", 1, 250_000, 0, 0, 0, 1), tiered).perCall()).isEqualTo(Money.ofUsd("0.5"));
    assertThat(WhatIf.estimate(new WhatIf.Plan("g", 1, 200_000, 0, 0, 0, 1), tiered).perCall()).isEqualTo(Money.ofUsd("0.2"));
  }

  @Test
  void refusesImpossiblePlans() {
    assertThatThrownBy(() -> new WhatIf.Plan("m", 1, 10, 11, 0, 0, 30)).hasMessageContaining("cached_input_tokens");
    assertThatThrownBy(() -> new WhatIf.Plan("m", -1, 10, 0, 0, 0, 30)).hasMessageContaining("calls_per_day");
    assertThatThrownBy(() -> new WhatIf.Plan("m", 1, 10, 0, 0, 0, 0)).hasMessageContaining("days");
  }
}
