package dev.tollgate.domain.audit;

import java.time.Instant;

/**
 * One change to the control plane, before it is chained: who, when, what (method, route pattern,
 * resource), and the resource as JSON before and after (null when it did not exist before or does
 * not exist after).
 *
 * @param actor who made it, e.g. {@code token:tok_…}, {@code oidc:<sub>}, {@code admin-token}, {@code config-file}
 * @param actorRole the actor's role at the time ({@code admin}, {@code finance}, …)
 * @param method the HTTP method, or a verb such as {@code RELOAD} for changes that did not come over HTTP
 * @param route the route pattern ({@code /admin/v1/keys/:id}) or, for a config reload, the file
 * @param resourceType {@code key}, {@code budget}, {@code token}, {@code config}, …
 */
public record AuditEvent(
    Instant at,
    String actor,
    String actorRole,
    String method,
    String route,
    String resourceType,
    String resourceId,
    String before,
    String after) {}
