package dev.tollgate.port;

import dev.tollgate.domain.alert.Alert;
import dev.tollgate.domain.alert.Restriction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AlertStore} in memory: what the SQL stores do, for tests and tools that keep nothing. */
final class InMemoryAlertStore implements AlertStore {

  private static final Comparator<Alert> NEWEST_FIRST =
      Comparator.comparing(Alert::firstAt).thenComparing(Alert::id).reversed();

  private final Map<String, Live> alerts = new LinkedHashMap<>();
  private final Map<String, Restriction> restrictions = new LinkedHashMap<>();

  @Override
  public synchronized void save(Alert alert, Instant lastSentAt) {
    alerts.put(alert.id(), new Live(alert, lastSentAt));
  }

  @Override
  public synchronized List<Live> unresolved() {
    return alerts.values().stream().filter(l -> !"resolved".equals(l.alert().state()))
        .sorted(Comparator.comparing((Live l) -> l.alert().firstAt()).thenComparing(l -> l.alert().id())).toList();
  }

  @Override
  public synchronized List<Alert> list(String state, String kind, Instant since, Cursor after, int limit) {
    List<Alert> out = new ArrayList<>();
    for (Alert a : alerts.values().stream().map(Live::alert).sorted(NEWEST_FIRST).toList()) {
      if (state != null && !state.equals(a.state())) continue;
      if (kind != null && !kind.equals(a.kind())) continue;
      if (since != null && a.lastAt().isBefore(since)) continue;
      if (after != null && NEWEST_FIRST.compare(a, probe(after)) <= 0) continue;
      out.add(a);
      if (out.size() == limit) break;
    }
    return out;
  }

  private static Alert probe(Cursor c) {
    return new Alert(c.id(), "", "", null, null, "", "", c.firstAt(), c.firstAt(), 0, "", null, null);
  }

  @Override
  public synchronized Optional<Alert> find(String id) {
    return Optional.ofNullable(alerts.get(id)).map(Live::alert);
  }

  @Override
  public synchronized void restrict(Restriction r) {
    restrictions.put(r.subject(), r);
  }

  @Override
  public synchronized void lift(String alertId) {
    restrictions.values().removeIf(r -> r.alertId().equals(alertId));
  }

  @Override
  public synchronized List<Restriction> restrictions() {
    return List.copyOf(restrictions.values());
  }
}
