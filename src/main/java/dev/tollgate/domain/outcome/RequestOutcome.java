package dev.tollgate.domain.outcome;

import dev.tollgate.domain.money.Money;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A business outcome a data-plane request reports about itself ({@code X-Tollgate-Outcome}, or
 * {@code metadata.outcome} in an OpenAI body), recorded as an outcome once the request has succeeded.
 * The grammar (docs/reports.md):
 *
 * <pre>
 *   outcome = param *( OWS ";" OWS param ) [ OWS ";" ]
 *   param   = "type=" type / "count=" count / "value=" value      ; each at most once, type required
 *   type    = 1*100( ALPHA / DIGIT / "_" / "-" / "." / ":" )
 *   count   = 1*9DIGIT                                           ; 1 to 999,999,999; default 1
 *   value   = 1*9DIGIT [ "." 1*9DIGIT ]                         ; USD, the count's total; default 0
 * </pre>
 *
 * e.g. {@code type=ticket_resolved; count=1; value=12.50}.
 *
 * @param value what the outcomes were worth in total, in USD
 */
public record RequestOutcome(String type, long count, Money value) {

  /** The longest header value accepted. */
  public static final int MAX_LENGTH = 512;

  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
  private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");
  private static final Pattern VALUE = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");
  private static final String EXAMPLE = "e.g. \"type=ticket_resolved; count=1; value=12.50\"";

  /**
   * @throws IllegalArgumentException saying what is wrong and how it should look
   */
  public static RequestOutcome parse(String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("the outcome is empty; " + EXAMPLE);
    if (text.length() > MAX_LENGTH) throw new IllegalArgumentException("the outcome is longer than " + MAX_LENGTH + " characters");
    String type = null;
    long count = 1;
    Money value = Money.ZERO;
    Set<String> seen = new HashSet<>();
    String[] params = text.strip().split(";", -1);
    for (int i = 0; i < params.length; i++) {
      String param = params[i].strip();
      if (param.isEmpty() && i == params.length - 1 && i > 0) break; // one trailing ';'
      int eq = param.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("'" + param + "' is not name=value; " + EXAMPLE);
      String name = param.substring(0, eq).strip();
      String v = param.substring(eq + 1).strip();
      if (!seen.add(name)) throw new IllegalArgumentException("'" + name + "' is given twice");
      switch (name) {
        case "type" -> {
          if (!TYPE.matcher(v).matches()) {
            throw new IllegalArgumentException("type must be 1 to 100 letters, digits or _ - . : (got '" + v + "')");
          }
          type = v;
        }
        case "count" -> {
          if (!COUNT.matcher(v).matches() || Long.parseLong(v) < 1) {
            throw new IllegalArgumentException("count must be a whole number from 1 to 999999999 (got '" + v + "')");
          }
          count = Long.parseLong(v);
        }
        case "value" -> {
          if (!VALUE.matcher(v).matches()) {
            throw new IllegalArgumentException("value must be USD as a plain decimal with at most 9 decimals, e.g. 12.50 (got '"
                + v + "')");
          }
          value = Money.ofUsd(new BigDecimal(v));
        }
        default -> throw new IllegalArgumentException("unknown parameter '" + name + "'; use type, count and value");
      }
    }
    if (type == null) throw new IllegalArgumentException("type is required; " + EXAMPLE);
    return new RequestOutcome(type, count, value);
  }
}
