package dev.tollgate.domain.budget;

import java.util.Locale;

/** What a budget counts. USD amounts are nano-dollars. */
public enum BudgetUnit {
  INPUT_TOKENS, OUTPUT_TOKENS, TOKENS, USD, REQUESTS;

  public long of(Consumption c) {
    return switch (this) {
      case INPUT_TOKENS -> c.inputTokens();
      case OUTPUT_TOKENS -> c.outputTokens();
      case TOKENS -> c.inputTokens() + c.outputTokens();
      case USD -> c.nanos();
      case REQUESTS -> c.requests();
    };
  }

  public boolean isTokens() {
    return this == INPUT_TOKENS || this == OUTPUT_TOKENS || this == TOKENS;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BudgetUnit fromWire(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
