package dev.tollgate.store.sql;

/** The SQL databases the ledger and key store run on; the few statements that differ switch on it. */
public enum Dialect {
  SQLITE,
  POSTGRESQL
}
