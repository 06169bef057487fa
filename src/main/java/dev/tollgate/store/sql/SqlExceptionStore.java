package dev.tollgate.store.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.domain.budget.BudgetScope;
import dev.tollgate.domain.exception.BudgetException;
import dev.tollgate.domain.exception.ExceptionState;
import dev.tollgate.domain.money.Money;
import dev.tollgate.port.ExceptionStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Exceptions in SQLite or PostgreSQL, one JSON document each. */
public final class SqlExceptionStore implements ExceptionStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;
  private final Clock clock;

  public SqlExceptionStore(Database database, Clock clock) {
    this.dataSource = database.dataSource();
    this.clock = clock;
  }

  @Override
  public void insert(BudgetException e) {
    long now = nowNanos();
    execute("INSERT INTO budget_exceptions (id, document, created_at_ns, updated_at_ns) VALUES (?, ?, ?, ?)", e.id(), write(e), now, now);
  }

  @Override
  public boolean update(BudgetException e) {
    return execute("UPDATE budget_exceptions SET document = ?, updated_at_ns = ? WHERE id = ?", write(e), nowNanos(), e.id()) == 1;
  }

  @Override
  public List<BudgetException> list() {
    return query("SELECT document FROM budget_exceptions ORDER BY created_at_ns, id", null);
  }

  @Override
  public Optional<BudgetException> find(String id) {
    return query("SELECT document FROM budget_exceptions WHERE id = ?", id).stream().findFirst();
  }

  static String write(BudgetException e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", e.id()).put("requester", e.requester()).put("justification", e.justification())
        .put("scope", e.scope().toString()).put("team", e.team()).put("workload_class", e.workloadClass());
    n.set("unlock_tiers", JSON.valueToTree(e.unlockedTiers()));
    n.set("unlock_models", JSON.valueToTree(e.unlockedModels()));
    n.put("extra_tokens", e.extraTokens()).put("extra_usd_nanos", e.extraUsd().nanos());
    n.put("starts_at", str(e.startsAt())).put("expires_at", str(e.expiresAt())).put("status", e.status().wire());
    n.put("decided_by", e.decidedBy()).put("decided_at", str(e.decidedAt())).put("decision_note", e.decisionNote());
    n.put("created_at", str(e.createdAt())).put("renewed_from", e.renewedFrom());
    n.set("outcome_notes", JSON.valueToTree(e.outcomeNotes()));
    return n.toString();
  }

  static BudgetException read(String doc) {
    try {
      JsonNode n = JSON.readTree(doc);
      return new BudgetException(n.get("id").asText(), text(n, "requester"), text(n, "justification"),
          BudgetScope.parse(n.get("scope").asText()), text(n, "team"), text(n, "workload_class"), list(n, "unlock_tiers"),
          list(n, "unlock_models"), n.path("extra_tokens").asLong(0), Money.ofNanos(n.path("extra_usd_nanos").asLong(0)),
          instant(n, "starts_at"), instant(n, "expires_at"), ExceptionState.fromWire(n.get("status").asText()),
          text(n, "decided_by"), instant(n, "decided_at"), text(n, "decision_note"), instant(n, "created_at"),
          text(n, "renewed_from"), list(n, "outcome_notes"));
    } catch (IOException e) {
      throw new IllegalStateException("a stored exception could not be read", e);
    }
  }

  private static String str(Instant i) {
    return i == null ? null : i.toString();
  }

  private static String text(JsonNode n, String f) {
    return n.hasNonNull(f) ? n.get(f).asText() : null;
  }

  private static Instant instant(JsonNode n, String f) {
    return n.hasNonNull(f) ? Instant.parse(n.get(f).asText()) : null;
  }

  private static List<String> list(JsonNode n, String f) {
    List<String> out = new ArrayList<>();
    n.path(f).forEach(v -> out.add(v.asText()));
    return out;
  }

  private List<BudgetException> query(String sql, String id) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (id != null) ps.setString(1, id);
      List<BudgetException> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs.getString(1)));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("exceptions could not be read: " + e.getMessage(), e);
    }
  }

  private int execute(String sql, Object... args) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the exception could not be saved: " + e.getMessage(), e);
    }
  }

  private long nowNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
