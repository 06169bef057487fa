package dev.tollgate.report;

import java.util.Arrays;
import java.util.Locale;

/** Where a registered workflow stands: tried out, relied on, or switched off. */
public enum WorkflowStage {
  EXPERIMENT,
  PRODUCTION,
  RETIRED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the allowed values */
  public static WorkflowStage fromWire(String s) {
    for (WorkflowStage stage : values()) if (stage.wire().equals(s)) return stage;
    throw new IllegalArgumentException("stage must be one of "
        + String.join(", ", Arrays.stream(values()).map(WorkflowStage::wire).toList()) + "; got '" + s + "'");
  }
}
