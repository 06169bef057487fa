package dev.tollgate.domain.budget;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A budget: scope × window × limit × unit × action. Limits in USD are nano-dollars.
 *
 * @param id stable id: {@code cfg:<scope>:<window>:<unit>} for config budgets, {@code bud_…} for API ones
 * @param warnAt fractions of the limit (e.g. 0.5, 0.8) at which people are told, once per period
 * @param source {@code config} or {@code api}
 * @param reviewDate when the budget should be looked at again (set by salary templates), or null
 * @param note free text, e.g. how a template computed the limit
 */
public record Budget(
    String id,
    BudgetScope scope,
    BudgetWindow window,
    BudgetUnit unit,
    long limit,
    BudgetAction action,
    List<BigDecimal> warnAt,
    String source,
    LocalDate reviewDate,
    String note) {

  public Budget {
    if (limit <= 0) throw new IllegalArgumentException("a budget's limit must be positive");
    warnAt = warnAt == null ? List.of() : warnAt.stream().sorted().toList();
  }

  public boolean hard() {
    return action.hard();
  }

  /** A short human description: "the monthly USD budget of team:support". */
  public String describe() {
    String period = switch (window.kind()) {
      case REQUEST -> "per-request";
      case CONVERSATION -> "per-conversation";
      case MINUTE -> "per-minute";
      case HOUR -> "hourly";
      case DAY -> "daily";
      case MONTH -> "monthly";
      case CUSTOM -> "custom-period";
    };
    String what = switch (unit) {
      case USD -> "USD";
      case TOKENS -> "token";
      case INPUT_TOKENS -> "input-token";
      case OUTPUT_TOKENS -> "output-token";
      case REQUESTS -> "request";
    };
    return "the " + period + " " + what + " budget of " + scope;
  }
}
