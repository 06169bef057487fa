package dev.tollgate.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * YAML {@code exceptions:} — max_days (30: the longest an exception may last) and approvers in order
 * ({@code [ { role: team-lead, up_to_usd: 500 }, { role: finance } ]}: the first rule whose role
 * matches and whose amount covers the exception's extra USD allows approval; admins always may).
 */
public record ExceptionsConfig(int maxDays, List<Approver> approvers) {

  public record Approver(String role, BigDecimal upToUsd) {}

  public static ExceptionsConfig defaults() {
    return new ExceptionsConfig(30, List.of(new Approver("team-lead", new BigDecimal("500")), new Approver("finance", null)));
  }
}
