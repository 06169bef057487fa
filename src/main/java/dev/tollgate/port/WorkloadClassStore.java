package dev.tollgate.port;

import java.util.List;
import java.util.Optional;

/**
 * Durable store of workload classes made through the admin API. A class is kept as the JSON body it
 * was made from (the config file's keys), because it is validated again against the models of
 * whatever config runs when it is loaded.
 */
public interface WorkloadClassStore {

  /** A stored class: its name and its JSON document. */
  record Stored(String name, String document) {}

  /** Adds a class; false (and nothing changed) if one of that name is stored already. */
  boolean insert(String name, String document);

  /** Replaces the class of that name; false if there is none. */
  boolean update(String name, String document);

  boolean delete(String name);

  /** Every stored class, in the order they were made. */
  List<Stored> list();

  Optional<Stored> find(String name);
}
