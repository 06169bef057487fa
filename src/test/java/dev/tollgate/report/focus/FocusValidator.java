package dev.tollgate.report.focus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Runs the static rules of the FOCUS validator's requirements model ({@code model-1.2.json}, MIT,
 * FinOps Foundation) against a dataset, with exact decimal arithmetic.
 *
 * <p>How the model is read:
 * <ul>
 *   <li>Evaluation starts at {@code CostAndUsage-D-000-M} and follows {@code CheckModelRule}
 *       references; the attribute rules ({@code *-A-*}) are evaluated as roots of their own.</li>
 *   <li>A rule whose {@code ApplicabilityCriteria} are not all declared is skipped with everything
 *       beneath it (or, as the reference validator does, unless any one is: {@link Applicability}); {@code Dynamic} rules have no machine requirement and are skipped.</li>
 *   <li>A rule's {@code Condition} selects the rows its requirement applies to; a composite passes its
 *       condition down to the rules it references.</li>
 *   <li>A failing MUST / MUST NOT rule fails its parent; SHOULD, SHOULD NOT and RECOMMENDED failures are
 *       reported as warnings; MAY rules are never failures (they state what is allowed).</li>
 *   <li>Column rules of a column absent from the dataset are skipped: presence is what the dataset
 *       rules ({@code CostAndUsage-D-*}) check.</li>
 *   <li>Null semantics are the spec's: "ChargeClass is not Correction" holds for a null ChargeClass;
 *       a value check on a null fails unless it checks for null.</li>
 * </ul>
 */
public final class FocusValidator {

  static final String ROOT = "CostAndUsage-D-000-M";

  /** What Tollgate's FOCUS export supports, in the model's applicability terms. */
  public static final Set<String> TOLLGATE_CRITERIA = Set.of("USAGE_MEASUREMENT_SUPPORTED", "UNIT_PRICING_SUPPORTED",
      "PUBLIC_PRICE_LIST_SUPPORTED", "NEGOTIATED_PRICING_SUPPORTED", "TAGGING_SUPPORTED");
  private static final Pattern DATE_TIME = Pattern.compile("^[0-9]{4}-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$");
  /** The validator's numeric pattern without its leading '+', which the spec forbids. */
  private static final Pattern NUMERIC = Pattern.compile("^-?([0-9]*[.])?[0-9]+$");
  private static final Pattern ASCII = Pattern.compile("^[\\x00-\\x7F]*$");
  private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
  /**
   * The spec's Unit Format: {@code <plural-units>}, {@code <singular-unit>-<plural-time-units>},
   * {@code <plural-units>/<singular-time-unit>}, {@code <quantity> <plural-units>},
   * {@code <plural-units>/<interval> <plural-time-units>} (quantities whole numbers).
   */
  private static final Pattern UNIT = Pattern.compile("^([0-9]+ )?[A-Za-z]+( [A-Za-z]+)*(-[A-Za-z]+)?(/([0-9]+ )?[A-Za-z]+)?$");
  private static final ObjectMapper STRICT_JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** A rule that did not hold: its id, keyword, what it says, and on how many rows (0: dataset-level). */
  public record Finding(String ruleId, String keyword, String says, int rows) {
    @Override
    public String toString() {
      return ruleId + " [" + keyword + "] " + says + (rows > 0 ? " (" + rows + " rows)" : "");
    }
  }

  /** What a run found and which rules it could not or need not check. */
  public record Report(List<Finding> failures, List<Finding> warnings, Set<String> checked, Set<String> dynamic,
      Set<String> notApplicable, Set<String> absentColumn) {}

  private final JsonNode rules;
  private final Set<String> currencies;

  private FocusValidator(JsonNode rules, Set<String> currencies) {
    this.rules = rules;
    this.currencies = currencies;
  }

  public static FocusValidator load() {
    try (InputStream model = FocusValidator.class.getResourceAsStream("/focus/model-1.2.json");
        InputStream codes = FocusValidator.class.getResourceAsStream("/focus/currency_codes.csv")) {
      JsonNode root = new ObjectMapper().readTree(Objects.requireNonNull(model, "model-1.2.json on the test classpath"));
      Set<String> currencies = new HashSet<>();
      for (String line : new String(codes.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] parts = line.trim().split(",");
        if (parts.length == 2 && !parts[1].equals("currency_codes")) currencies.add(parts[1].trim());
      }
      return new FocusValidator(root.get("ModelRules"), currencies);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every check function the model's static rules use, for the report of what is implemented. */
  static final Set<String> IMPLEMENTED = Set.of("AND", "OR", "CheckModelRule", "ColumnPresent", "TypeString", "TypeDecimal",
      "TypeDateTime", "FormatString", "FormatNumeric", "FormatDateTime", "FormatUnit", "FormatCurrency", "FormatKeyValue",
      "CheckValue", "CheckNotValue", "CheckSameValue", "CheckNotSameValue", "CheckDistinctCount",
      "CheckGreaterOrEqualThanValue", "CheckDecimalValue", "CheckNationalCurrency", "ColumnByColumnEqualsColumnValue");

  Set<String> functionsUsed() {
    Set<String> used = new TreeSet<>();
    rules.forEach(rule -> {
      if (rule.path("Type").asText().equals("Static")) {
        collect(rule.path("ValidationCriteria").path("Requirement"), used);
        collect(rule.path("ValidationCriteria").path("Condition"), used);
      }
    });
    return used;
  }

  private static void collect(JsonNode n, Set<String> into) {
    if (n.isObject()) {
      if (n.has("CheckFunction")) into.add(n.get("CheckFunction").asText());
      n.forEach(child -> collect(child, into));
    } else if (n.isArray()) {
      n.forEach(child -> collect(child, into));
    }
  }

  /**
   * How a rule's applicability criteria combine: the spec's text means all of them ("when the
   * provider supports X and Y"); the reference validator includes a rule when any one is declared.
   */
  public enum Applicability { ALL, ANY }

  public Report validate(CsvTable data, Set<String> criteria) {
    return validate(data, criteria, Applicability.ALL);
  }

  public Report validate(CsvTable data, Set<String> criteria, Applicability applicability) {
    Run run = new Run(data, criteria, applicability);
    run.rule(ROOT, row -> true);
    rules.fieldNames().forEachRemaining(id -> {
      if (id.contains("-A-000-") && !run.visited.contains(id)) run.rule(id, row -> true);
    });
    return new Report(run.failures, run.warnings, run.checked, run.dynamic, run.notApplicable, run.absent);
  }

  private final class Run {
    final CsvTable data;
    final Set<String> criteria;
    final Applicability applicability;
    final List<Finding> failures = new ArrayList<>();
    final List<Finding> warnings = new ArrayList<>();
    final Set<String> checked = new TreeSet<>();
    final Set<String> dynamic = new TreeSet<>();
    final Set<String> notApplicable = new TreeSet<>();
    final Set<String> absent = new TreeSet<>();
    final Set<String> visited = new HashSet<>();
    final Set<String> reported = new HashSet<>();

    Run(CsvTable data, Set<String> criteria, Applicability applicability) {
      this.data = data;
      this.criteria = criteria;
      this.applicability = applicability;
    }

    /** Evaluates a rule on the rows {@code scope} selects; true unless a MUST-level requirement fails. */
    boolean rule(String id, Predicate<Map<String, String>> scope) {
      visited.add(id);
      JsonNode rule = rules.get(id);
      if (rule == null) throw new IllegalStateException("the model references a rule it lacks: " + id);
      if (rule.path("Type").asText().equals("Dynamic")) {
        dynamic.add(id);
        return true;
      }
      List<String> needs = new ArrayList<>();
      rule.path("ApplicabilityCriteria").forEach(c -> needs.add(c.asText()));
      boolean applies = needs.isEmpty() || (applicability == Applicability.ALL ? criteria.containsAll(needs)
          : needs.stream().anyMatch(criteria::contains));
      if (!applies) {
        notApplicable.add(id);
        return true;
      }
      String reference = rule.path("Reference").asText();
      if (rule.path("EntityType").asText().equals("Column") && !data.header().contains(reference)) {
        absent.add(id);
        return true;
      }
      JsonNode vc = rule.path("ValidationCriteria");
      Predicate<Map<String, String>> within = scope;
      JsonNode condition = vc.path("Condition");
      if (condition.isObject() && condition.has("CheckFunction")) {
        Predicate<Map<String, String>> own = predicate(condition);
        within = scope.and(own);
      }
      String keyword = vc.path("Keyword").asText();
      Result result = requirement(vc.path("Requirement"), within);
      checked.add(id);
      boolean composite = rule.path("Function").asText().equals("Composite");
      if (!result.ok() && !composite && reported.add(id)) {
        Finding f = new Finding(id, keyword, vc.path("MustSatisfy").asText(), result.rows());
        switch (keyword) {
          case "MUST", "MUST NOT" -> failures.add(f);
          case "SHOULD", "SHOULD NOT", "RECOMMENDED" -> warnings.add(f);
          default -> { } // MAY: what is allowed, never a failure
        }
      }
      return result.ok() || !(keyword.equals("MUST") || keyword.equals("MUST NOT"));
    }

    record Result(boolean ok, int rows) {}

    Result requirement(JsonNode node, Predicate<Map<String, String>> scope) {
      String fn = node.path("CheckFunction").asText();
      switch (fn) {
        case "CheckModelRule" -> {
          return new Result(rule(node.get("ModelRuleId").asText(), scope), 0);
        }
        case "ColumnPresent" -> {
          return new Result(data.header().contains(node.get("ColumnName").asText()), 0);
        }
        case "CheckDistinctCount" -> {
          String a = node.get("ColumnAName").asText();
          String b = node.get("ColumnBName").asText();
          int expected = node.get("ExpectedCount").asInt();
          Map<String, Set<String>> distinct = new LinkedHashMap<>();
          for (Map<String, String> row : data.rows()) {
            if (!scope.test(row)) continue;
            Set<String> values = distinct.computeIfAbsent(row.get(a), k -> new HashSet<>());
            if (row.get(b) != null) values.add(row.get(b));
          }
          long bad = distinct.values().stream().filter(s -> s.size() != expected).count();
          return new Result(bad == 0, (int) bad);
        }
        case "AND", "OR" -> {
          if (rowLevel(node)) return rows(predicate(node), scope);
          boolean and = fn.equals("AND");
          int failuresBefore = failures.size();
          int warningsBefore = warnings.size();
          Set<String> reportedBefore = new HashSet<>(reported);
          boolean ok = and;
          for (JsonNode item : node.get("Items")) {
            boolean itemOk = requirement(item, scope).ok();
            ok = and ? ok && itemOk : ok || itemOk;
          }
          if (!and && ok) { // the alternatives that did not hold are no findings when one did
            failures.subList(failuresBefore, failures.size()).clear();
            warnings.subList(warningsBefore, warnings.size()).clear();
            reported.retainAll(reportedBefore);
          }
          return new Result(ok, 0);
        }
        default -> {
          return rows(predicate(node), scope);
        }
      }
    }

    Result rows(Predicate<Map<String, String>> check, Predicate<Map<String, String>> scope) {
      int bad = 0;
      for (Map<String, String> row : data.rows()) {
        if (scope.test(row) && !check.test(row)) bad++;
      }
      return new Result(bad == 0, bad);
    }

    boolean rowLevel(JsonNode node) {
      String fn = node.path("CheckFunction").asText();
      if (fn.equals("AND") || fn.equals("OR")) {
        for (JsonNode item : node.get("Items")) if (!rowLevel(item)) return false;
        return true;
      }
      return !(fn.equals("CheckModelRule") || fn.equals("ColumnPresent") || fn.equals("CheckDistinctCount"));
    }

    /** A check that holds or not for one row. */
    Predicate<Map<String, String>> predicate(JsonNode node) {
      String fn = node.path("CheckFunction").asText();
      // One rule names its column under "CheckCondition" instead of "ColumnName".
      String column = node.has("ColumnName") ? node.get("ColumnName").asText() : node.path("CheckCondition").asText(null);
      JsonNode value = node.get("Value");
      return switch (fn) {
        case "AND" -> {
          List<Predicate<Map<String, String>>> items = new ArrayList<>();
          node.get("Items").forEach(i -> items.add(predicate(i)));
          yield row -> items.stream().allMatch(p -> p.test(row));
        }
        case "OR" -> {
          List<Predicate<Map<String, String>>> items = new ArrayList<>();
          node.get("Items").forEach(i -> items.add(predicate(i)));
          yield row -> items.stream().anyMatch(p -> p.test(row));
        }
        case "CheckValue" -> row -> equalsValue(row.get(column), value);
        case "CheckNotValue" -> row -> !equalsValue(row.get(column), value);
        case "CheckSameValue" -> row -> Objects.equals(row.get(node.get("ColumnAName").asText()),
            row.get(node.get("ColumnBName").asText()));
        case "CheckNotSameValue" -> row -> !Objects.equals(row.get(node.get("ColumnAName").asText()),
            row.get(node.get("ColumnBName").asText()));
        case "CheckGreaterOrEqualThanValue" -> row -> {
          String v = row.get(column);
          return v == null || (decimal(v) != null && decimal(v).compareTo(value.decimalValue()) >= 0);
        };
        case "ColumnByColumnEqualsColumnValue" -> row -> {
          String a = row.get(node.get("ColumnAName").asText());
          String b = row.get(node.get("ColumnBName").asText());
          String r = row.get(node.get("ResultColumnName").asText());
          if (a == null || b == null || r == null) return true;
          BigDecimal da = decimal(a);
          BigDecimal db = decimal(b);
          BigDecimal dr = decimal(r);
          return da != null && db != null && dr != null && da.multiply(db).compareTo(dr) == 0;
        };
        case "TypeString" -> row -> true; // every CSV field is text
        case "TypeDecimal", "CheckDecimalValue" -> row -> row.get(column) == null || decimal(row.get(column)) != null;
        case "TypeDateTime", "FormatDateTime" -> row -> row.get(column) == null || dateTime(row.get(column));
        case "FormatNumeric" -> row -> row.get(column) == null || NUMERIC.matcher(row.get(column)).matches();
        case "FormatString" -> row -> row.get(column) == null || ASCII.matcher(row.get(column)).matches();
        case "FormatCurrency" -> row -> row.get(column) == null || CURRENCY.matcher(row.get(column)).matches();
        case "CheckNationalCurrency" -> row -> row.get(column) == null || currencies.contains(row.get(column));
        case "FormatUnit" -> row -> row.get(column) == null || UNIT.matcher(row.get(column)).matches();
        case "FormatKeyValue" -> row -> row.get(column) == null || keyValue(row.get(column));
        default -> throw new IllegalStateException("no check function " + fn);
      };
    }
  }

  /** A cell against a rule's Value: null means null; a number compares as a decimal; else exact text. */
  private static boolean equalsValue(String cell, JsonNode value) {
    if (value == null || value.isNull()) return cell == null;
    if (cell == null) return false;
    if (value.isNumber()) {
      BigDecimal d = decimal(cell);
      return d != null && d.compareTo(value.decimalValue()) == 0;
    }
    return cell.equals(value.asText());
  }

  private static BigDecimal decimal(String s) {
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean dateTime(String s) {
    if (!DATE_TIME.matcher(s).matches()) return false;
    try {
      Instant.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** A JSON object with unique keys whose values are scalars (string, number, true, false, null). */
  private static boolean keyValue(String s) {
    try {
      JsonNode n = STRICT_JSON.readTree(s);
      if (n == null || !n.isObject()) return false;
      for (JsonNode v : n) if (v.isContainerNode()) return false;
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
