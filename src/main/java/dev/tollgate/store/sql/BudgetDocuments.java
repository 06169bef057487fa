package dev.tollgate.store.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.budget.Budget;
import dev.tollgate.domain.budget.BudgetAction;
import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.budget.BudgetUnit;
import dev.tollgate.domain.budget.BudgetWindow;
import dev.tollgate.domain.budget.WindowKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A budget as the JSON document the {@code budgets} table keeps. */
final class BudgetDocuments {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BudgetDocuments() {}

  static String write(Budget b) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", b.id()).put("scope", b.scope().toString()).put("window", b.window().kind().wire());
    if (b.window().customStart() != null) n.put("start", b.window().customStart().toString()).put("end", b.window().customEnd().toString());
    n.put("unit", b.unit().wire()).put("limit", b.limit()).put("action", b.action().wire());
    var warn = n.putArray("warn_at");
    b.warnAt().forEach(warn::add);
    n.put("source", b.source());
    if (b.reviewDate() != null) n.put("review_date", b.reviewDate().toString());
    if (b.note() != null) n.put("note", b.note());
    return n.toString();
  }

  static Budget read(String document) {
    try {
      JsonNode n = JSON.readTree(document);
      WindowKind kind = WindowKind.fromWire(n.get("window").asText());
      BudgetWindow window = new BudgetWindow(kind, n.hasNonNull("start") ? Instant.parse(n.get("start").asText()) : null,
          n.hasNonNull("end") ? Instant.parse(n.get("end").asText()) : null);
      List<BigDecimal> warnAt = new ArrayList<>();
      n.path("warn_at").forEach(w -> warnAt.add(new BigDecimal(w.asText())));
      return new Budget(n.get("id").asText(), BudgetScope.parse(n.get("scope").asText()), window,
          BudgetUnit.fromWire(n.get("unit").asText()), n.get("limit").asLong(), BudgetAction.fromWire(n.get("action").asText()),
          warnAt, n.path("source").asText("api"), n.hasNonNull("review_date") ? LocalDate.parse(n.get("review_date").asText()) : null,
          n.hasNonNull("note") ? n.get("note").asText() : null);
    } catch (IOException e) {
      throw new UncheckedIOException("a stored budget could not be read", e);
    }
  }
}
