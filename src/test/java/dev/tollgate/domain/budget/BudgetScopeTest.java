package dev.tollgate.domain.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.money.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetScopeTest {

  static final Attribution ANA = new Attribution("acme", "support", "helpdesk", "triage", "bot", "ana", "api", "c-1", null,
      Map.of("env", "prod"));

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(nullValues = "none", value = {
      "org,                 org",
      "team:support,        team:support",
      "team:research,       none",
      "user:*,              user:ana",
      "workflow:triage,     workflow:triage",
      "key:triage-key,      key:triage-key",
      "key:other,           none",
      "tag:env=prod,        tag:env=prod",
      "tag:env=*,           tag:env=prod",
      "tag:customer=*,      none",
      "conversation:*,      conversation:c-1"})
  void aScopeCoversARequestUnderOneSubject(String scope, String subject) {
    assertThat(BudgetScope.parse(scope).subjectFor(ANA, "triage-key").orElse(null)).isEqualTo(subject);
  }

  @ParameterizedTest
  @CsvSource({"department:x", "team:", "tag:env", "org:acme", "''"})
  void badScopesAreRefusedWithTheAllowedForms(String scope) {
    assertThatThrownBy(() -> BudgetScope.parse(scope)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSalaryTemplateSpreadsTheYearlyShareOverTwelveMonths() {
    SalaryTemplate t = new SalaryTemplate(12, Money.ofUsd("85000"), new BigDecimal("0.03"));
    assertThat(t.monthlyLimit()).isEqualTo(Money.ofUsd("2550")); // 12 × 85,000 × 3% / 12
    assertThat(t.reviewDate(LocalDate.parse("2026-11-25"))).isEqualTo(LocalDate.parse("2027-11-25"));
    assertThat(new SalaryTemplate(7, Money.ofUsd("61000"), new BigDecimal("0.025")).monthlyLimit())
        .isEqualTo(Money.ofUsd("889.58")); // 10,675 / 12 = 889.583…, rounded down to the cent
  }
}
