package dev.tollgate.report.efficiency;

import java.time.Instant;

/**
 * A reusable prompt in the template library. Calls that use it say so with
 * {@code X-Tollgate-Template: <name>}, and the ledger attributes them to it.
 *
 * @param workloadClass the class whose allowed models it is priced on, or null for every model
 * @param body the prompt text (placeholders such as {@code {{ticket}}} are counted as written)
 * @param expectedOutputTokens the answer length to price a call with; 0 prices the prompt alone
 * @param createdBy the admin principal that created it
 */
public record PromptTemplate(String name, String workloadClass, String description, String body, long expectedOutputTokens,
    Instant createdAt, String createdBy) {}
