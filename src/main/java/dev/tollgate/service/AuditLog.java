package dev.tollgate.service;

import dev.tollgate.domain.access.Principal;
import dev.tollgate.domain.audit.AuditChain;
import dev.tollgate.domain.audit.AuditEntry;
import dev.tollgate.domain.audit.AuditEvent;
import dev.tollgate.domain.audit.AuditQuery;
import dev.tollgate.port.AuditStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
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
  private Path configFile; // guarded by this
  private String configHash; // guarded by this

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

  /** Remembers the config file's content hash at start, so that the first reload has a "before". */
  public synchronized void watchConfig(Path file) {
    configFile = file;
    configHash = file == null ? null : sha256(file);
  }

  /**
   * Records that the gateway reloaded its config file: actor {@code config-file}, before and after the
   * file's SHA-256. Never throws: a reload is not undone because the audit log could not be written
   * (that is logged as an error).
   */
  public synchronized void configReloaded(Path file) {
    if (file == null) return;
    try {
      String before = file.equals(configFile) ? configHash : null;
      String after = sha256(file);
      configFile = file;
      configHash = after;
      if (after != null && after.equals(before)) return;
      record(Principal.CONFIG_FILE, "RELOAD", file.toString(), "config", file.getFileName().toString(),
          hashJson(before), hashJson(after));
    } catch (RuntimeException e) {
      log.error("the config reload from {} could not be written to the audit log: {}", file, e.toString());
    }
  }

  private static String hashJson(String hash) {
    return hash == null ? null : "{\"sha256\":\"" + hash + "\"}";
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
