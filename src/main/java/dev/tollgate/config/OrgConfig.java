package dev.tollgate.config;

import java.time.ZoneId;

/** YAML {@code org:} — name (default {@code default}) and time_zone (default UTC), used for calendar windows and reports. */
public record OrgConfig(String name, ZoneId timeZone) {
  public static OrgConfig defaults() {
    return new OrgConfig("default", ZoneId.of("UTC"));
  }
}
