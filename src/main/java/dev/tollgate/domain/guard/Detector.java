package dev.tollgate.domain.guard;

import java.util.List;

/**
 * Finds one type of sensitive data in a text. Implementations are stateless and thread-safe, run in
 * time linear in the length of the text, and return findings sorted by start that do not overlap
 * each other.
 */
public interface Detector {

  FindingType type();

  List<Finding> find(String text);
}
