package dev.tollgate.pipeline.admit;

import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetAction;
import dev.tollgate.domain.budget.BudgetBook;
import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.budget.WindowKind;
import dev.tollgate.domain.money.Money;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.ModelChoice;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.port.CounterStore;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refusals by budget, in words a caller can act on: which budget, its window, what is used and
 * reserved, the limit, when it resets, and the ways forward — a cheaper model the key may use, or
 * more budget from an admin.
 */
final class Refusals {

  private Refusals() {}

  static GatewayError perRequest(BudgetBook.Match m, long worst, Exchange x) {
    Budget b = m.budget();
    String message = "This request could use up to " + amount(b.unit(), worst) + ", more than the "
        + amount(b.unit(), b.limit()) + " one request may use under " + b.describe() + ". "
        + "Set a lower max_tokens or send a shorter prompt" + cheaper(x) + ".";
    Map<String, Object> details = details(m, 0, 0, worst);
    return GatewayError.of(b.action() == BudgetAction.REQUIRE_APPROVAL ? ErrorKind.APPROVAL_REQUIRED : ErrorKind.BUDGET_EXCEEDED,
        message, details);
  }

  static GatewayError exhausted(BudgetBook.Match m, CounterStore.State state, long requested, Exchange x) {
    Budget b = m.budget();
    Instant resets = resetsAt(m, x);
    String use = amount(b.unit(), state.used()) + " used" + (state.reserved() > 0
        ? " and " + amount(b.unit(), state.reserved()) + " held by requests in flight" : "")
        + " of " + amount(b.unit(), b.limit());
    Map<String, Object> details = details(m, state.used(), state.reserved(), requested);
    boolean rateLimit = b.window().kind() == WindowKind.MINUTE;
    if (rateLimit) {
      long retry = Math.max(1, Duration.between(x.startedAt(), resets).toSeconds());
      details.put("retry_after_seconds", retry);
      return GatewayError.of(ErrorKind.RATE_LIMIT_EXCEEDED, "Rate limit reached: " + b.describe() + " has "
          + use + " in the last minute, and this request needs up to " + amount(b.unit(), requested)
          + ". Retry after " + retry + " s" + cheaper(x) + ".", details);
    }
    String when = resets == null ? "It does not reset." : "It resets at " + resets + ".";
    if (b.action() == BudgetAction.REQUIRE_APPROVAL) {
      return GatewayError.of(ErrorKind.APPROVAL_REQUIRED, "This request needs approval: " + b.describe() + " has " + use
          + ", and this request needs up to " + amount(b.unit(), requested) + ". " + when
          + " Request a time-limited exception with POST /admin/v1/exceptions (budget id " + b.id() + ")" + cheaper(x) + ".", details);
    }
    return GatewayError.of(ErrorKind.BUDGET_EXCEEDED, "Budget exceeded: " + b.describe() + " has " + use
        + ", and this request needs up to " + amount(b.unit(), requested) + ". " + when
        + " To go on: ask an admin or your team lead to raise it (budget id " + b.id() + ")" + cheaper(x)
        + ", set a lower max_tokens, or request a time-limited exception with POST /admin/v1/exceptions.", details);
  }

  private static Map<String, Object> details(BudgetBook.Match m, long used, long reserved, long requested) {
    Budget b = m.budget();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("budget_id", b.id());
    d.put("scope", m.subject());
    d.put("window", b.window().kind().wire());
    d.put("unit", b.unit().wire());
    d.put("limit", wire(b.unit(), b.limit()));
    d.put("used", wire(b.unit(), used));
    d.put("reserved", wire(b.unit(), reserved));
    d.put("requested", wire(b.unit(), requested));
    if (m.span().end() != null && b.window().kind() != WindowKind.REQUEST) d.put("resets_at", m.span().end().toString());
    return d;
  }

  private static Instant resetsAt(BudgetBook.Match m, Exchange x) {
    if (m.budget().window().kind() == WindowKind.MINUTE) return x.startedAt().plusSeconds(60);
    return m.span().end();
  }

  /** Amounts as the JSON body carries them: tokens and requests as numbers, USD as an exact decimal string. */
  private static Object wire(BudgetUnit unit, long v) {
    return unit == BudgetUnit.USD ? Money.ofNanos(v).toUsdString() : (Object) v;
  }

  static String amount(BudgetUnit unit, long v) {
    return switch (unit) {
      case USD -> "$" + Money.ofNanos(v).toUsd().setScale(Math.max(2, Math.min(9, Money.ofNanos(v).toUsd().stripTrailingZeros().scale())), RoundingMode.UNNECESSARY).toPlainString();
      case REQUESTS -> count(v, "request");
      case INPUT_TOKENS -> count(v, "input token");
      case OUTPUT_TOKENS -> count(v, "output token");
      case TOKENS -> count(v, "token");
    };
  }

  private static String count(long v, String noun) {
    return String.format(java.util.Locale.ROOT, "%,d %s%s", v, noun, v == 1 ? "" : "s");
  }

  /** ", or use a cheaper model your key may use: a, b" — or nothing if there is none. */
  private static String cheaper(Exchange x) {
    if (x.route() == null) return "";
    List<String> names = ModelChoice.cheaper(x, x.route()).stream().map(ModelRoute::name).limit(3).toList();
    return names.isEmpty() ? "" : ", or use a cheaper model your key may use: " + String.join(", ", names);
  }

  static GatewayError classCap(dev.tollgate.domain.policy.WorkloadClass cls, long worstNanos, Exchange x) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("workload_class", cls.name());
    d.put("limit", cls.maxCost().toUsdString());
    d.put("requested", Money.ofNanos(worstNanos).toUsdString());
    return GatewayError.of(ErrorKind.BUDGET_EXCEEDED, "One request of the workload class '" + cls.name() + "' may cost at most "
        + amount(BudgetUnit.USD, cls.maxCost().nanos()) + "; this one could cost up to " + amount(BudgetUnit.USD, worstNanos)
        + " on '" + x.route().name() + "'. Set a lower max_tokens or send a shorter prompt" + cheaper(x) + ".", d);
  }
}
