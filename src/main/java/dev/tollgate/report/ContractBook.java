package dev.tollgate.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.contract.Contract;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The contracts in force: the config file's {@code contracts:} and those made through the admin API.
 * A stored contract is checked by the config validator when made and again whenever it is read, against
 * the config in force then; one that no longer passes (its provider was removed, say) is listed with
 * the problem and applies to nothing. Names are unique across both; config contracts are changed in the
 * file only.
 */
public final class ContractBook {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A contract as listed: where it comes from, its definition (API only), and why it is not in force. */
  public record Listed(String name, String source, Contract contract, JsonNode definition, String problem,
      Instant createdAt, Instant updatedAt) {}

  /** What a change came to. */
  public enum Outcome { DONE, NAME_TAKEN, NOT_FOUND, IN_CONFIG }

  private final ContractStore store;
  private final Clock clock;

  public ContractBook(ContractStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Every contract that applies: the config's, then the stored ones that still pass validation. */
  public List<Contract> inForce(GatewayConfig config) {
    List<Contract> all = new ArrayList<>(config.contracts());
    for (Listed l : stored(config)) if (l.contract() != null) all.add(l.contract());
    return List.copyOf(all);
  }

  public List<Listed> list(GatewayConfig config) {
    List<Listed> all = new ArrayList<>();
    for (Contract c : config.contracts()) all.add(new Listed(c.name(), "config", c, null, null, null, null));
    all.addAll(stored(config));
    return List.copyOf(all);
  }

  public Optional<Listed> find(GatewayConfig config, String name) {
    return list(config).stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /**
   * Stores a new contract.
   *
   * @throws ConfigException when the definition does not pass the config's checks (nothing is stored)
   */
  public Outcome create(GatewayConfig config, String name, JsonNode definition) {
    if (config.contracts().stream().anyMatch(c -> c.name().equals(name))) return Outcome.IN_CONFIG;
    ConfigLoader.contract(name, definition, config, others(config, name));
    Instant now = clock.instant();
    return store.insert(new ContractStore.Stored(name, definition.toString(), now, now)) ? Outcome.DONE : Outcome.NAME_TAKEN;
  }

  /** Replaces a stored contract's definition; {@link ConfigException} as for {@link #create}. */
  public Outcome replace(GatewayConfig config, String name, JsonNode definition) {
    if (config.contracts().stream().anyMatch(c -> c.name().equals(name))) return Outcome.IN_CONFIG;
    Optional<ContractStore.Stored> before = store.find(name);
    if (before.isEmpty()) return Outcome.NOT_FOUND;
    ConfigLoader.contract(name, definition, config, others(config, name));
    return store.replace(new ContractStore.Stored(name, definition.toString(), before.get().createdAt(), clock.instant()))
        ? Outcome.DONE : Outcome.NOT_FOUND;
  }

  public Outcome delete(GatewayConfig config, String name) {
    if (config.contracts().stream().anyMatch(c -> c.name().equals(name))) return Outcome.IN_CONFIG;
    return store.delete(name) ? Outcome.DONE : Outcome.NOT_FOUND;
  }

  private List<Contract> others(GatewayConfig config, String name) {
    return inForce(config).stream().filter(c -> !c.name().equals(name)).toList();
  }

  private List<Listed> stored(GatewayConfig config) {
    List<Listed> out = new ArrayList<>();
    List<Contract> accepted = new ArrayList<>(config.contracts());
    for (ContractStore.Stored s : store.list()) {
      JsonNode definition;
      try {
        definition = JSON.readTree(s.definition());
      } catch (IOException e) {
        out.add(new Listed(s.name(), "api", null, null, "the stored definition is not JSON", s.createdAt(), s.updatedAt()));
        continue;
      }
      try {
        Contract c = ConfigLoader.contract(s.name(), definition, config, accepted);
        accepted.add(c);
        out.add(new Listed(s.name(), "api", c, definition, null, s.createdAt(), s.updatedAt()));
      } catch (ConfigException e) {
        out.add(new Listed(s.name(), "api", null, definition, e.getMessage(), s.createdAt(), s.updatedAt()));
      }
    }
    return out;
  }
}
