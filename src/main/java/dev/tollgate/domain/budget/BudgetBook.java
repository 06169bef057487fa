package dev.tollgate.domain.budget;

import dev.tollgate.domain.attribution.Attribution;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * All budgets in force, and the question the request path asks of them: which budgets cover this
 * request, under which subject, in which period. Immutable; a change builds a new book.
 */
public final class BudgetBook {

  public static final BudgetBook EMPTY = new BudgetBook(List.of(), java.time.ZoneOffset.UTC);

  private final List<Budget> budgets;
  private final ZoneId zone;

  public BudgetBook(List<Budget> budgets, ZoneId zone) {
    this.budgets = List.copyOf(budgets);
    this.zone = zone;
  }

  /** One budget covering one request: the subject it counts under and the current period. */
  public record Match(Budget budget, String subject, BudgetWindow.Span span) {
    /** The counter this match adds to: budget, subject and period. */
    public String counterKey() {
      return budget.id() + "|" + subject + "|" + span.key();
    }
  }

  public List<Match> matching(Attribution attribution, String keyName, Instant now) {
    List<Match> out = new ArrayList<>();
    for (Budget b : budgets) {
      var subject = b.scope().subjectFor(attribution, keyName);
      if (subject.isEmpty()) continue;
      if (b.window().kind() == WindowKind.CONVERSATION) {
        if (attribution.conversation() == null) continue; // nothing to count a conversation's life under
        subject = java.util.Optional.of(subject.get() + "|conversation:" + attribution.conversation());
      }
      BudgetWindow.Span span = b.window().spanAt(now, zone);
      if (span == null) continue;
      out.add(new Match(b, subject.get(), span));
    }
    return out;
  }

  public List<Budget> budgets() {
    return budgets;
  }

  public ZoneId zone() {
    return zone;
  }

  public boolean isEmpty() {
    return budgets.isEmpty();
  }
}
