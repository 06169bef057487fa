package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.domain.money.Money;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WorkflowRegistryTest {

  /** The store contract in memory; the SQL stores are tested against the same expectations. */
  static final class MemoryStore implements WorkflowStore {
    final Map<String, Workflow> rows = new TreeMap<>();

    @Override public boolean insert(Workflow w) { return rows.putIfAbsent(w.name(), w) == null; }
    @Override public boolean update(Workflow w) { return rows.replace(w.name(), w) != null; }
    @Override public boolean delete(String name) { return rows.remove(name) != null; }
    @Override public Optional<Workflow> find(String name) { return Optional.ofNullable(rows.get(name)); }
    @Override public List<Workflow> list() { return new ArrayList<>(rows.values()); }
  }

  final Instant t0 = Instant.parse("2026-11-01T09:00:00Z");
  final MemoryStore store = new MemoryStore();

  @Test
  void registersUpdatesOnlyWhatIsGivenAndRefusesDuplicates() {
    var registry = new WorkflowRegistry(store, Clock.fixed(t0, ZoneOffset.UTC));
    var created = registry.create(new WorkflowRegistry.Draft("triage", "ana", "route tickets", "tickets resolved",
        Money.ofUsd("5000"), null, "support")).orElseThrow();
    assertThat(created.stage()).isEqualTo(WorkflowStage.EXPERIMENT);
    assertThat(created.createdAt()).isEqualTo(t0);
    assertThat(registry.create(new WorkflowRegistry.Draft("triage", null, null, null, null, null, null))).isEmpty();

    var later = new WorkflowRegistry(store, Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC));
    var changed = later.update("triage", new WorkflowRegistry.Draft(null, null, null, null, null, WorkflowStage.PRODUCTION,
        null)).orElseThrow();
    assertThat(changed.stage()).isEqualTo(WorkflowStage.PRODUCTION);
    assertThat(changed.owner()).isEqualTo("ana");
    assertThat(changed.createdAt()).isEqualTo(t0);
    assertThat(changed.updatedAt()).isEqualTo(t0.plusSeconds(60));
    assertThat(later.update("nope", new WorkflowRegistry.Draft(null, "x", null, null, null, null, null))).isEmpty();
    assertThat(later.delete("triage")).isTrue();
    assertThat(later.list()).isEmpty();
  }

  @Test
  void refusesANameChangeAMissingNameAndANegativeValue() {
    var registry = new WorkflowRegistry(store, Clock.fixed(t0, ZoneOffset.UTC));
    assertThatThrownBy(() -> registry.create(new WorkflowRegistry.Draft(" ", null, null, null, null, null, null)))
        .hasMessageContaining("'name' is required");
    assertThatThrownBy(() -> registry.create(new WorkflowRegistry.Draft("x", null, null, null, Money.ofNanos(-1), null, null)))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> registry.update("x", new WorkflowRegistry.Draft("y", null, null, null, null, null, null)))
        .hasMessageContaining("cannot change");
    assertThatThrownBy(() -> WorkflowStage.fromWire("pilot")).hasMessageContaining("experiment, production, retired");
  }
}
