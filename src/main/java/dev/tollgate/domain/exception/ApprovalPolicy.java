package dev.tollgate.domain.exception;

import dev.tollgate.domain.money.Money;
import java.time.Duration;
import java.util.List;

/**
 * Who may approve what, and how long an exception may last. Approvers are tried in order: the first
 * rule whose role matches and whose amount covers the exception's extra USD allows the approval
 * (e.g. a team lead up to $500, finance above). Admins may always approve.
 *
 * @param maxDuration the longest an exception may run from its start to its expiry
 */
public record ApprovalPolicy(Duration maxDuration, List<Approver> approvers) {

  /** A role that may approve exceptions up to {@code upToUsd} extra (null: any amount); team leads only for their teams. */
  public record Approver(String role, Money upToUsd) {}

  public static ApprovalPolicy defaults() {
    return new ApprovalPolicy(Duration.ofDays(30), List.of(new Approver("team-lead", Money.ofUsd("500")), new Approver("finance", null)));
  }

  /**
   * Whether someone with {@code role} (and, for team leads, {@code teams}) may approve {@code e};
   * null when allowed, else the reason.
   */
  public String refusal(String role, List<String> teams, BudgetException e) {
    if ("admin".equals(role)) return null;
    for (Approver a : approvers) {
      if (!a.role().equals(role)) continue;
      if (a.upToUsd() != null && e.extraUsd().compareTo(a.upToUsd()) > 0) {
        return "a " + role + " may approve up to $" + a.upToUsd().toUsdString() + " of extra budget; this exception asks for $"
            + e.extraUsd().toUsdString();
      }
      if ("team-lead".equals(role) && (e.team() == null || !teams.contains(e.team()))) {
        return "a team lead may approve only exceptions of their own teams";
      }
      return null;
    }
    return "the role " + role + " may not approve exceptions";
  }
}
