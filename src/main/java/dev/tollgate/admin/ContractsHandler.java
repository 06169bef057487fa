package dev.tollgate.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.domain.contract.Contract;
import dev.tollgate.domain.money.Money;
import dev.tollgate.report.ContractBook;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code /admin/v1/contracts}: list the contracts in force (config and API) and make, replace or delete
 * API ones. A body is a contract in the config file's keys plus {@code name} on POST, checked by the
 * config validator (400 with its messages, nothing stored); every change audited before and after.
 */
final class ContractsHandler {

  private static final String EXAMPLE = "{\"name\":\"openai-2027\",\"provider\":\"openai\",\"valid_from\":\"2027-01-01\","
      + "\"discount_percent\":15,\"commitment_usd_per_month\":10000}";

  private final Vertx vertx;
  private final ContractBook book;
  private final Supplier<GatewayConfig> config;
  private final AdminAudit audit;

  ContractsHandler(Vertx vertx, ContractBook book, Supplier<GatewayConfig> config, AdminAudit audit) {
    this.vertx = vertx;
    this.book = book;
    this.config = config;
    this.audit = audit;
  }

  void list(RoutingContext ctx) {
    GatewayConfig cfg = config.get();
    run(ctx, () -> book.list(cfg), all -> {
      ObjectNode root = AdminJson.JSON.createObjectNode();
      ArrayNode data = root.putArray("data");
      all.forEach(l -> data.add(json(l)));
      AdminJson.send(ctx, 200, root);
    });
  }

  void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    GatewayConfig cfg = config.get();
    run(ctx, () -> book.find(cfg, name), found -> found.ifPresentOrElse(l -> AdminJson.send(ctx, 200, json(l)),
        () -> notFound(ctx, name)));
  }

  void create(RoutingContext ctx) {
    ObjectNode body = ReportsHandler.body(ctx, EXAMPLE);
    if (body == null) return;
    if (body.get("name") == null || !body.get("name").isTextual()) {
      AdminJson.error(ctx, 400, "invalid_request", "'name' is required: the contract's name, e.g. " + EXAMPLE);
      return;
    }
    String name = body.remove("name").asText();
    change(ctx, name, () -> book.create(config.get(), name, body), 201);
  }

  void replace(RoutingContext ctx) {
    ObjectNode body = ReportsHandler.body(ctx, EXAMPLE);
    if (body == null) return;
    String name = ctx.pathParam("name");
    body.remove("name");
    change(ctx, name, () -> book.replace(config.get(), name, body), 200);
  }

  void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    change(ctx, name, () -> book.delete(config.get(), name), 204);
  }

  /** Runs a change with its audit record (before and after as listed), then answers by its outcome. */
  private void change(RoutingContext ctx, String name, Callable<ContractBook.Outcome> work, int doneStatus) {
    AdminAudit.Change change = audit.begin(ctx, "contract");
    GatewayConfig cfg = config.get();
    record Done(ContractBook.Outcome outcome, Optional<ContractBook.Listed> after) {}
    run(ctx, () -> {
      Optional<ContractBook.Listed> before = book.find(cfg, name);
      ContractBook.Outcome outcome = work.call();
      Optional<ContractBook.Listed> after = book.find(cfg, name);
      if (outcome == ContractBook.Outcome.DONE) {
        change.record(name, before.map(ContractsHandler::json).orElse(null), after.map(ContractsHandler::json).orElse(null));
      }
      return new Done(outcome, after);
    }, done -> {
      switch (done.outcome()) {
        case DONE -> {
          if (doneStatus == 204) ctx.response().setStatusCode(204).end();
          else AdminJson.send(ctx, doneStatus, json(done.after().orElseThrow()));
        }
        case NAME_TAKEN -> AdminJson.error(ctx, 409, "conflict", "Contract '" + name + "' exists already; PUT "
            + "/admin/v1/contracts/" + name + " replaces it.");
        case IN_CONFIG -> AdminJson.error(ctx, 409, "conflict", "Contract '" + name + "' is in the config file's contracts:"
            + " section; change it there.");
        case NOT_FOUND -> notFound(ctx, name);
      }
    });
  }

  private <T> void run(RoutingContext ctx, Callable<T> work, Consumer<T> render) {
    vertx.executeBlocking(work).onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof ConfigException e) {
        AdminJson.error(ctx, 400, "invalid_request", e.getMessage().replace("request: ", ""));
      } else if (ar.failed()) {
        AdminJson.error(ctx, 500, "internal_error", "The contracts could not be read or saved: " + ar.cause().getMessage());
      } else {
        render.accept(ar.result());
      }
    });
  }

  private static void notFound(RoutingContext ctx, String name) {
    AdminJson.error(ctx, 404, "not_found", "No contract '" + name + "'; POST /admin/v1/contracts makes one.");
  }

  static ObjectNode json(ContractBook.Listed l) {
    ObjectNode n = AdminJson.JSON.createObjectNode();
    n.put("name", l.name()).put("source", l.source()).put("in_force", l.contract() != null);
    if (l.problem() != null) n.put("problem", l.problem());
    Contract c = l.contract();
    if (c != null) {
      n.put("provider", c.provider()).put("model", c.model()).put("valid_from", c.validFrom().toString())
          .put("valid_until", c.validUntil() == null ? null : c.validUntil().toString());
      switch (c.terms()) {
        case Contract.Negotiated t -> {
          n.put("terms", "negotiated").put("discount_percent", t.discountPercent().stripTrailingZeros());
          AdminJson.usd(n, "commitment_usd_per_month", Money.ofNanos(t.commitmentNanos()));
          AdminJson.usd(n, "included_usd_per_month", Money.ofNanos(t.includedNanos()));
          n.put("included_tokens_per_month", t.includedTokens());
          n.put("overage_discount_percent", t.overagePercent().stripTrailingZeros());
        }
        case Contract.SelfHosted t -> {
          n.put("terms", "self_hosted");
          AdminJson.usd(n, "hourly_cost_usd", Money.ofNanos(t.hourlyNanos()));
          if (t.tokensPerHour() == null) n.put("tokens_per_hour", "measured");
          else n.put("tokens_per_hour", t.tokensPerHour());
        }
      }
    }
    if (l.definition() != null) n.set("definition", l.definition());
    if (l.createdAt() != null) n.put("created_at", l.createdAt().toString()).put("updated_at", l.updatedAt().toString());
    return n;
  }
}
