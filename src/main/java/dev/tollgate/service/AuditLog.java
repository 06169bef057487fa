package dev.tollgate.service;

import dev.tollgate.domain.access.Principal;
import dev.tollgate.domain.audit.AuditChain;
import dev.tollgate.domain.audit.AuditEntry;
import dev.tollgate.domain.audit.AuditEvent;
import dev.tollgate.domain.audit.AuditQuery;
import dev.tollgate.port.AuditStore;
import dev.tollgate.config.GatewayConfig;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every change to the control plane — who, when, what, before and after — in the hash-chained
 * audit log, reads it back and verifies the chain. Calls block on the database: call from a worker
 * thread, never from an event loop.
 */
public final class AuditLog {

  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
  /** Rows read per round trip when verifying or exporting. */
  public static final int PAGE = 1000;

  private final AuditStore store;
  private final Clock clock;
  private ConfigFingerprint configFingerprint; // guarded by this

  public AuditLog(AuditStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Appends one change.
   *
   * @param method the HTTP method (or a verb like {@code RELOAD})
   * @param route the route pattern, e.g. {@code /admin/v1/keys/:id}
   * @param before the resource as JSON before the change, null if it did not exist
   * @param after the resource as JSON after the change, null if it no longer exists
   */
  public AuditEntry record(Principal actor, String method, String route, String resourceType, String resourceId,
      String before, String after) {
    String role = actor.role() == null ? null : actor.role().wire();
    return store.append(new AuditEvent(clock.instant(), actor.actor(), role, method, route, resourceType, resourceId,
        before, after));
  }

  public List<AuditEntry> find(AuditQuery query) {
    return store.find(query);
  }

  /** Recomputes the whole chain, oldest row first. */
  public AuditChain.Verification verify() {
    return verify(store);
  }

  /** Recomputes the whole chain of {@code store} (the CLI uses this without a running gateway). */
  public static AuditChain.Verification verify(AuditStore store) {
    AuditChain.Verifier verifier = new AuditChain.Verifier();
    long after = 0;
    while (true) {
      List<AuditEntry> page = store.find(AuditQuery.page(after, PAGE));
      for (AuditEntry row : page) {
        if (!verifier.feed(row)) return verifier.result();
        after = row.seq();
      }
      if (page.size() < PAGE) return verifier.result();
    }
  }

  /** Remembers the running config's fingerprint at start, so that the first reload has a "before". */
  public synchronized void watchConfig(GatewayConfig config) {
    configFingerprint = config == null ? null : ConfigFingerprint.of(config);
  }

  /**
   * Records that the gateway swapped in a reloaded config file, if that changed the running config:
   * actor {@code config-file}, method {@code RELOAD}, before and after the SHA-256 of each section
   * rendered without secrets, the sections that changed and the paths of secrets that changed (never
   * their values). A reload that changes nothing the gateway runs on (a comment, the order of keys) is
   * not recorded. Never throws: a reload is not undone because the audit log could not be written
   * (that is logged as an error).
   */
  public synchronized void configReloaded(GatewayConfig next) {
    if (next == null) return;
    try {
      ConfigFingerprint after = ConfigFingerprint.of(next);
      ConfigFingerprint before = configFingerprint;
      configFingerprint = after;
      List<String> changed = before == null ? List.copyOf(after.sections().keySet()) : after.changedSince(before);
      List<String> secrets = before == null ? List.of() : after.secretsChangedSince(before);
      if (changed.isEmpty() && secrets.isEmpty()) return;
      String file = next.source() == null ? "config" : next.source().getFileName().toString();
      String route = next.source() == null ? "config" : next.source().toString();
      record(Principal.CONFIG_FILE, "RELOAD", route, "config", file,
          before == null ? null : "{\"sections\":" + before.sectionsJson() + "}",
          "{\"sections\":" + after.sectionsJson() + ",\"changed\":" + ConfigFingerprint.jsonArray(changed)
              + ",\"secrets_changed\":" + ConfigFingerprint.jsonArray(secrets) + "}");
    } catch (RuntimeException e) {
      log.error("the config reload from {} could not be written to the audit log: {}", next.source(), e.toString());
    }
  }

  /**
   * Records a change the gateway made by itself (e.g. suspending a runaway key), as actor
   * {@code system:<component>}. Never throws, like {@link #configReloaded}.
   */
  public void recordSystem(String component, String method, String resourceType, String resourceId, String before,
      String after) {
    try {
      record(new Principal(component, Principal.Kind.SYSTEM, Set.of(), Set.of(), null, component), method, "system:" + component,
          resourceType, resourceId, before, after);
    } catch (RuntimeException e) {
      log.error("the {} change of {} {} by {} could not be written to the audit log: {}", method, resourceType, resourceId,
          component, e.toString());
    }
  }

  /** A restriction an alert made, as the audit log shows it (after it is made, before it is lifted). */
  public static String restrictionJson(dev.tollgate.domain.alert.Restriction r) {
    return "{\"subject\":" + quote(r.subject()) + ",\"action\":" + quote(r.kind().wire()) + ",\"per_minute\":" + r.perMinute()
        + ",\"alert_id\":" + quote(r.alertId()) + ",\"reason\":" + quote(r.reason()) + "}";
  }

  private static String quote(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
