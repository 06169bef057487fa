package dev.tollgate.domain.budget;

import java.util.Locale;

/**
 * What happens when a request would take a budget past its limit. {@code BLOCK} and
 * {@code REQUIRE_APPROVAL} make a hard budget (the request is refused before any upstream work);
 * {@code NOTIFY} and {@code DOWNGRADE} a soft one (the request goes on, told or moved to a cheaper model).
 */
public enum BudgetAction {
  BLOCK, NOTIFY, DOWNGRADE, REQUIRE_APPROVAL;

  public boolean hard() {
    return this == BLOCK || this == REQUIRE_APPROVAL;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BudgetAction fromWire(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
