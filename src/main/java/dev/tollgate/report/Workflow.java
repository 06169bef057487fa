package dev.tollgate.report;

import dev.tollgate.domain.money.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * A registered use case: a workflow name as requests carry it ({@code X-Tollgate-Workflow}), who
 * owns it, why it exists, how its success is measured and what it is expected to be worth. Traffic
 * whose workflow is not registered is reported as unregistered.
 *
 * @param expectedValue expected business value per month in USD, or null when nobody said
 * @param team the owning team, or null
 */
public record Workflow(
    String name,
    String owner,
    String purpose,
    String kpi,
    Money expectedValue,
    WorkflowStage stage,
    String team,
    Instant createdAt,
    Instant updatedAt) {

  public Workflow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(stage, "stage");
  }
}
