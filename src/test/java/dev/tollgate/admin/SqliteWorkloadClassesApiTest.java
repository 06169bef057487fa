package dev.tollgate.admin;

/** The workload-classes API with the gateway on a SQLite file. */
class SqliteWorkloadClassesApiTest extends WorkloadClassesApiContract {

  @Override
  String storageUrl() {
    return "sqlite:" + dir.resolve("ledger.db");
  }
}
