package dev.tollgate.domain.access;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who is calling the admin API: the bootstrap token, a personal admin token or an OIDC subject, with
 * the roles and teams it carries. Handlers and services use it to scope what they show and to record
 * who made a change.
 *
 * @param id the token id ({@code tok_…}), the JWT {@code sub}, or a fixed name for the bootstrap
 *     token and the config file
 * @param roles never empty for a caller that got past authentication
 * @param teams the teams a team lead leads (empty for other roles unless the token names some)
 * @param user the person's ledger {@code user} value (what a member's usage is filtered on); may be null
 * @param name a human label: the token's name or the OIDC user claim
 */
public record Principal(String id, Kind kind, Set<Role> roles, Set<String> teams, String user, String name) {

  /** Where a principal came from; {@link #actor()} prefixes its id with {@link #wire()}. */
  public enum Kind {
    BOOTSTRAP("admin-token"),
    TOKEN("token"),
    OIDC("oidc"),
    CONFIG_FILE("config-file"),
    SYSTEM("system");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /** The bootstrap {@code admin.token}: an admin. */
  public static final Principal BOOTSTRAP = new Principal("admin.token", Kind.BOOTSTRAP, Set.of(Role.ADMIN), Set.of(), null,
      "bootstrap admin token");
  /** Changes that come from editing the config file. */
  public static final Principal CONFIG_FILE = new Principal("config-file", Kind.CONFIG_FILE, Set.of(), Set.of(), null,
      "config file");

  public Principal {
    roles = roles == null || roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    teams = teams == null ? Set.of() : Set.copyOf(teams);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** The most powerful of its roles, in {@link Role}'s order (admin first); null without roles. */
  public Role role() {
    for (Role r : Role.values()) if (roles.contains(r)) return r;
    return null;
  }

  /** How the audit log names this caller: {@code token:tok_…}, {@code oidc:<sub>}, {@code admin-token}, {@code config-file}. */
  public String actor() {
    return switch (kind) {
      case BOOTSTRAP, CONFIG_FILE -> kind.wire();
      default -> kind.wire() + ":" + id;
    };
  }

  /** True if this caller leads {@code team} (only meaningful for team leads). */
  public boolean leads(String team) {
    return team != null && teams.contains(team);
  }
}
