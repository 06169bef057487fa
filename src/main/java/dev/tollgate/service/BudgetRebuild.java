package dev.tollgate.service;

import dev.tollgate.domain.attribution.Attribution;
import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetBook;
import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.budget.BudgetWindow;
import dev.tollgate.domain.budget.Consumption;
import dev.tollgate.domain.budget.ScopeKind;
import dev.tollgate.domain.budget.WindowKind;
import dev.tollgate.domain.usage.UsageAggregate;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.port.CounterStore;
import dev.tollgate.port.UsageQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds budget counters from the ledger at start-up, so that a restart never resets
 * month-to-date (or day, hour, custom-period, conversation) use to zero. The ledger holds what was
 * really used, so the rebuilt counters are exact up to the rows still in flight at a crash. Rolling
 * minutes start empty: after a restart they refill within a minute.
 */
public final class BudgetRebuild {

  private static final Logger log = LoggerFactory.getLogger(BudgetRebuild.class);

  private BudgetRebuild() {}

  public static int fromLedger(BudgetBook book, CounterStore counters, UsageQuery ledger, Instant now) {
    int counted = 0;
    for (Budget b : book.budgets()) {
      WindowKind kind = b.window().kind();
      if (kind == WindowKind.REQUEST || kind == WindowKind.MINUTE) continue;
      BudgetWindow.Span span = b.window().spanAt(now, book.zone());
      if (span == null) continue;
      List<String> groupBy = new ArrayList<>(List.of("status"));
      Map<String, String> equals = new HashMap<>();
      String dimension = dimension(b.scope());
      if (dimension != null) {
        String value = b.scope().kind() == ScopeKind.TAG ? b.scope().value().substring(b.scope().value().indexOf('=') + 1) : b.scope().value();
        if (value.equals(BudgetScope.EACH)) groupBy.add(dimension);
        else equals.put(dimension, value);
      }
      if (kind == WindowKind.CONVERSATION) groupBy.add("conversation");
      Instant from = span.start();
      UsageFilter filter = new UsageFilter(from, now.plusMillis(1), equals, groupBy, null, book.zone());
      for (UsageAggregate row : ledger.aggregate(filter)) {
        if ("blocked".equals(row.group().get("status"))) continue; // refused requests used nothing
        Attribution a = attribution(b.scope(), dimension, row.group(), equals);
        var subject = b.scope().subjectFor(a, row.group().getOrDefault("key", equals.get("key")));
        if (subject.isEmpty()) continue;
        String s = subject.get();
        if (kind == WindowKind.CONVERSATION) {
          String conv = row.group().get("conversation");
          if (conv == null) continue;
          s = s + "|conversation:" + conv;
        }
        var match = new BudgetBook.Match(b, s, span);
        long amount = b.unit().of(new Consumption(row.inputTokens(), row.outputTokens(), row.cost().nanos(), row.requests()));
        if (amount > 0) {
          counters.add(CounterStore.Counter.of(match), amount, now);
          counted++;
        }
      }
    }
    if (counted > 0) log.info("rebuilt {} budget counters from the ledger", counted);
    return counted;
  }

  private static String dimension(BudgetScope scope) {
    return switch (scope.kind()) {
      case ORG -> null;
      case TAG -> "tag:" + scope.value().substring(0, scope.value().indexOf('='));
      case KEY -> "key";
      default -> scope.kind().wire();
    };
  }

  /** An attribution carrying just the scope's dimension, from a grouped row or the filter. */
  private static Attribution attribution(BudgetScope scope, String dimension, Map<String, String> group, Map<String, String> equals) {
    String v = dimension == null ? null : group.getOrDefault(dimension, equals.get(dimension));
    Map<String, String> tags = new HashMap<>();
    if (scope.kind() == ScopeKind.TAG && v != null) tags.put(dimension.substring(4), v);
    return switch (scope.kind()) {
      case ORG -> Attribution.EMPTY;
      case TEAM -> new Attribution(null, v, null, null, null, null, null, null, null, null);
      case PROJECT -> new Attribution(null, null, v, null, null, null, null, null, null, null);
      case WORKFLOW -> new Attribution(null, null, null, v, null, null, null, null, null, null);
      case AGENT -> new Attribution(null, null, null, null, v, null, null, null, null, null);
      case USER -> new Attribution(null, null, null, null, null, v, null, null, null, null);
      case CONVERSATION -> new Attribution(null, null, null, null, null, null, null, v, null, null);
      case TAG -> new Attribution(null, null, null, null, null, null, null, null, null, tags);
      case KEY -> Attribution.EMPTY;
    };
  }
}
