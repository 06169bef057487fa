package dev.tollgate.domain.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a person may do with the admin API and the console. What each role may call, and how its data
 * is narrowed, is written once in the admin API's access table; this enum only names the roles.
 */
public enum Role {
  /** Everything, including personal tokens and the audit log. */
  ADMIN("admin"),
  /** Reads spend everywhere; makes and changes budgets. */
  FINANCE("finance"),
  /** Keys, budgets and usage of their own teams only. */
  TEAM_LEAD("team-lead"),
  /** Their own usage only (the ledger's {@code user} dimension). */
  MEMBER("member"),
  /** Reads everything, changes nothing. */
  AUDITOR("auditor");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<Role> fromWire(String text) {
    if (text == null) return Optional.empty();
    String t = text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(r -> r.wire.equals(t)).findFirst();
  }

  /** {@code admin, finance, team-lead, member, auditor}: for error messages. */
  public static String names() {
    return Arrays.stream(values()).map(Role::wire).collect(Collectors.joining(", "));
  }
}
