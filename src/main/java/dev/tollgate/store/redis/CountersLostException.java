package dev.tollgate.store.redis;

/**
 * Redis answers but no longer holds the counters this replica acts under: it lost its data (restart
 * without persistence, {@code FLUSHALL}, failover to an empty replica) or another replica rebuilt them
 * since. The script that noticed changed nothing. Treated like an outage until the counters are
 * rebuilt from the ledger ({@link RedisGenerations}).
 */
public final class CountersLostException extends CountersUnavailableException {

  /** How the scripts' error reply starts (see lib.lua). */
  static final String MARK = "TOLLGATE_GENERATION";

  public CountersLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
