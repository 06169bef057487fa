package dev.tollgate.config;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One budget entry: {@code { window: month, usd: 8000, warn_at: [0.5, 0.8], on_exceed: block }}.
 * scope: {@code org}, {@code team:support}, {@code user:*}, {@code tag:env=prod}… (implied under
 * {@code teams.<t>.budgets} and {@code org.budgets}); window: request | conversation | minute | hour |
 * day | month | custom (custom needs start and end, ISO-8601 instants); exactly one unit key of usd,
 * tokens, input_tokens, output_tokens, requests, whose name goes into {@code unit} and value into
 * {@code limit}; warn_at: fractions in (0, 1]; on_exceed: block (default) | notify | downgrade |
 * require_approval; review_date (optional, set by salary templates); note (free text).
 */
public record BudgetConfig(
    String scope,
    String window,
    String unit,
    BigDecimal limit,
    List<BigDecimal> warnAt,
    String onExceed,
    Instant start,
    Instant end,
    LocalDate reviewDate,
    String note) {}
