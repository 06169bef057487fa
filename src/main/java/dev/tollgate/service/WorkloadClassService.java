package dev.tollgate.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.WorkloadClassConfig;
import dev.tollgate.port.WorkloadClassStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload classes from both sources — the config file and the admin API. A class made through the
 * API is checked by the config validator against the running config's models (same code, same
 * messages), stored, and announced so that the gateway swaps in a new policy; the old policy stays
 * in force when a class is refused. Classes of the config file are read-only here: they change in
 * the file, which the gateway reloads.
 *
 * <p>Stored classes are validated again whenever a config is applied (at start-up and on every
 * reload): one that no longer fits — say its preferred model left the file — is kept in the store
 * but left out of force, and {@link #problems()} says why. A class of the file wins over a stored
 * class of the same name.
 *
 * <p>Thread-safety: changes are serialised on this object; the gateway is told after the lock is
 * released, so the gateway's own lock (held while it applies a config and calls {@link #useConfig})
 * is never taken inside this one.
 */
public final class WorkloadClassService {

  private static final Logger log = LoggerFactory.getLogger(WorkloadClassService.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WorkloadClassStore store;
  private final KeyService keys;
  private volatile GatewayConfig config;
  private volatile List<WorkloadClassConfig> inForce = List.of();
  private volatile Map<String, String> problems = Map.of();
  private volatile Map<String, JsonNode> documents = Map.of();
  private volatile Runnable onChange = () -> {};

  public WorkloadClassService(WorkloadClassStore store, KeyService keys) {
    this.store = store;
    this.keys = keys;
  }

  /** Called after every change made through the API (the gateway swaps in a new policy). */
  public void onChange(Runnable action) {
    this.onChange = action;
  }

  /** Re-reads the stored classes and validates them against {@code next}; blocks on the database. */
  public synchronized void useConfig(GatewayConfig next) {
    this.config = next;
    reload();
  }

  /** The API classes in force, in the order they were made. */
  public List<WorkloadClassConfig> inForce() {
    return inForce;
  }

  /** Stored classes left out of force, by name, with the validator's message. */
  public Map<String, String> problems() {
    return problems;
  }

  /** The JSON body a stored class was made from, or empty if no API class has that name. */
  public Optional<JsonNode> document(String name) {
    return Optional.ofNullable(documents.get(name));
  }

  /** True when the class is written in the config file (and so cannot change through the API). */
  public boolean declaredInConfig(String name) {
    return config.workloadClasses().containsKey(name);
  }

  public enum Change { DONE, NOT_FOUND, DECLARED_IN_CONFIG, EXISTS, IN_USE }

  /** What a change did; {@code keys} names the keys that still use a class that could not be deleted. */
  public record Outcome(Change change, List<String> keys) {
    static Outcome of(Change change) {
      return new Outcome(change, List.of());
    }
  }

  /**
   * Makes a class.
   *
   * @throws ConfigException if the class is invalid, with the config validator's messages
   */
  public Outcome create(String name, JsonNode body) {
    synchronized (this) {
      if (declaredInConfig(name)) return Outcome.of(Change.DECLARED_IN_CONFIG);
      ConfigLoader.workloadClass(name, body, config);
      if (!store.insert(name, body.toString())) return Outcome.of(Change.EXISTS);
      reload();
    }
    onChange.run();
    return Outcome.of(Change.DONE);
  }

  /**
   * Replaces a class made through the API, every field at once (a field left out takes its default).
   *
   * @throws ConfigException if the new class is invalid; the old one stays in force
   */
  public Outcome replace(String name, JsonNode body) {
    synchronized (this) {
      if (declaredInConfig(name)) return Outcome.of(Change.DECLARED_IN_CONFIG);
      if (store.find(name).isEmpty()) return Outcome.of(Change.NOT_FOUND);
      ConfigLoader.workloadClass(name, body, config);
      if (!store.update(name, body.toString())) return Outcome.of(Change.NOT_FOUND);
      reload();
    }
    onChange.run();
    return Outcome.of(Change.DONE);
  }

  /** Deletes a class made through the API, unless an active key still names it as its default class. */
  public Outcome delete(String name) {
    synchronized (this) {
      if (declaredInConfig(name)) return Outcome.of(Change.DECLARED_IN_CONFIG);
      if (store.find(name).isEmpty()) return Outcome.of(Change.NOT_FOUND);
      List<String> users = keys.all().stream()
          .filter(k -> k.revokedAt() == null && k.defaults() != null && name.equals(k.defaults().workloadClass()))
          .map(k -> k.name()).toList();
      if (!users.isEmpty()) return new Outcome(Change.IN_USE, users);
      if (!store.delete(name)) return Outcome.of(Change.NOT_FOUND);
      reload();
    }
    onChange.run();
    return Outcome.of(Change.DONE);
  }

  private void reload() {
    List<WorkloadClassConfig> valid = new ArrayList<>();
    Map<String, String> invalid = new LinkedHashMap<>();
    Map<String, JsonNode> docs = new LinkedHashMap<>();
    for (WorkloadClassStore.Stored s : store.list()) {
      JsonNode body;
      try {
        body = JSON.readTree(s.document());
      } catch (IOException e) {
        invalid.put(s.name(), "the stored document is not JSON: " + e.getMessage());
        continue;
      }
      docs.put(s.name(), body);
      if (config.workloadClasses().containsKey(s.name())) {
        invalid.put(s.name(), "the config file declares a class of the same name, which is in force instead");
        continue;
      }
      try {
        valid.add(ConfigLoader.workloadClass(s.name(), body, config));
      } catch (ConfigException e) {
        invalid.put(s.name(), e.getMessage().replace("request: ", ""));
      }
    }
    invalid.forEach((name, why) -> {
      if (!problems.containsKey(name)) log.warn("workload class '{}' made through the admin API is not in force: {}", name, why);
    });
    inForce = List.copyOf(valid);
    problems = Map.copyOf(invalid);
    documents = Map.copyOf(docs);
  }

  /** The body without its {@code name}, as it is stored. */
  public static ObjectNode withoutName(JsonNode body) {
    ObjectNode copy = ((ObjectNode) body).deepCopy();
    copy.remove("name");
    return copy;
  }
}
