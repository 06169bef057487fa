package dev.tollgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.access.Principal;
import dev.tollgate.service.AuditLog;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How admin handlers write a change to the audit log: {@link #begin} on the event loop captures who
 * and which route; {@link Change#record} on the worker thread that made the change writes who, what,
 * before and after. Use it for every route that changes something.
 */
public final class AdminAudit {

  private static final Logger log = LoggerFactory.getLogger(AdminAudit.class);

  private final AuditLog audit;

  AdminAudit(AuditLog audit) {
    this.audit = audit;
  }

  /** Captures the caller, the method and the route pattern of a change about to be made. */
  public Change begin(RoutingContext ctx, String resourceType) {
    String route = ctx.currentRoute() != null && ctx.currentRoute().getPath() != null
        ? ctx.currentRoute().getPath() : ctx.normalizedPath();
    return new Change(AdminAuth.principal(ctx), ctx.request().method().name(), route, resourceType);
  }

  /** One change in the making; {@link #record} blocks on the database, so call it off the event loop. */
  public final class Change {
    private final Principal actor;
    private final String method;
    private final String route;
    private final String resourceType;

    private Change(Principal actor, String method, String route, String resourceType) {
      this.actor = actor;
      this.method = method;
      this.route = route;
      this.resourceType = resourceType;
    }

    /**
     * Appends the change. A failure to write is logged as an error, not thrown: the change itself is
     * already made and its caller should hear so.
     *
     * @param before the resource before (null if it did not exist)
     * @param after the resource after (null if it is gone)
     */
    public void record(String resourceId, JsonNode before, JsonNode after) {
      record(resourceType, resourceId, before, after);
    }

    /**
     * Appends a second change the same request made to another kind of resource (e.g. lifting a key's
     * suspension by acknowledging an alert), under the same caller and route.
     */
    public void record(String otherResourceType, String resourceId, JsonNode before, JsonNode after) {
      try {
        audit.record(actor, method, route, otherResourceType, resourceId, before == null ? null : before.toString(),
            after == null ? null : after.toString());
      } catch (RuntimeException e) {
        log.error("audit log write failed for {} {} {} {} by {}: {}", method, route, otherResourceType, resourceId, actor.actor(),
            e.toString());
      }
    }
  }
}
