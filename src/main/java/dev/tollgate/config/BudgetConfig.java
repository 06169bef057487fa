package dev.tollgate.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * One budget entry: {@code { window: month, usd: 8000, warn_at: [0.5, 0.8], on_exceed: block }}.
 * window: request | conversation | minute | hour | day | month; exactly one unit key of usd, tokens,
 * input_tokens, output_tokens, requests, whose name goes into {@code unit} and value into {@code limit};
 * warn_at: fractions in (0, 1]; on_exceed: block (default) | notify | downgrade | require_approval.
 */
public record BudgetConfig(String window, String unit, BigDecimal limit, List<BigDecimal> warnAt, String onExceed) {}
