package dev.tollgate.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.domain.usage.UsageFilter;
import dev.tollgate.domain.usage.UsageRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts and reloads: nothing recorded is lost, nothing in flight is dropped, a bad file changes nothing. */
class GatewayLifecycleTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "tg-lifecycle-key-00000001";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static String config(Path dir, String extraModels) {
    return """
        storage: sqlite:%s/ledger.db
        providers:
          sim: { type: simulator, output_tokens: 8 }
          slow: { type: simulator, ttft: 100ms, tokens_per_second: 20, output_tokens: 20 }
        models:
          gpt-4o-mini: { provider: sim }
          slow-model: { provider: slow, price: { input_per_mtok: 1, output_per_mtok: 2 } }
        %s
        keys:
          - { name: lifecycle, secret: %s, team: ops }
        teams:
          ops: {}
        """.formatted(dir, extraModels, KEY);
  }

  static GatewayConfig onAnyPort(GatewayConfig c) {
    ServerConfig s = c.server();
    return c.withServer(c.server().withPort(0));
  }

  static HttpResponse<String> chat(Gateway g, String model, boolean stream) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<String> models(Gateway g) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/v1/models"))
        .header("authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
    List<String> ids = new ArrayList<>();
    for (JsonNode m : JSON.readTree(r.body()).get("data")) ids.add(m.get("id").asText());
    return ids;
  }

  static List<UsageRecord> rows(Gateway g) {
    g.storage().ledgerWriter().flush();
    return g.storage().usageQuery().recent(new UsageFilter(null, null, null, null, null, null), 10_000);
  }

  @Test
  void aRestartLosesNoLedgerRow(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tollgate.yaml");
    Files.writeString(file, config(dir, ""));
    GatewayConfig cfg = onAnyPort(ConfigLoader.load(file));
    List<String> ids = new ArrayList<>();
    try (Gateway g = Gateway.start(cfg, Clock.systemUTC())) {
      for (int i = 0; i < 60; i++) {
        HttpResponse<String> r = chat(g, i % 3 == 0 ? "no-such-model" : "gpt-4o-mini", i % 2 == 0);
        ids.add(r.headers().firstValue("x-tollgate-request-id").orElseThrow());
      }
    } // close() flushes the ledger: no flush() call here on purpose
    try (Gateway again = Gateway.start(cfg, Clock.systemUTC())) {
      assertThat(rows(again)).extracting(UsageRecord::id).containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  @Test
  void aChangedFileIsAppliedWithoutDroppingARequestInFlightAndABadOneIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tollgate.yaml");
    Files.writeString(file, config(dir, ""));
    try (Gateway g = Gateway.startWatching(onAnyPort(ConfigLoader.load(file)), Clock.systemUTC(), Duration.ofHours(1))) {
      // A stream that takes about a second is under way while the config changes.
      CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
        try {
          return chat(g, "slow-model", true);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });

      Files.writeString(file, config(dir, "  gpt-4o: { provider: sim }\n").replace("output_tokens: 8", "output_tokens: 9"));
      g.checkConfigNow();
      assertThat(models(g)).contains("gpt-4o");
      assertThat(chat(g, "gpt-4o", false).statusCode()).isEqualTo(200);

      HttpResponse<String> streamed = inFlight.get();
      assertThat(streamed.statusCode()).isEqualTo(200);
      assertThat(streamed.body()).endsWith("data: [DONE]\n\n");

      Files.writeString(file, config(dir, "  gpt-4o: { provider: sim }\n  broken: { provider: nowhere }\n"));
      g.checkConfigNow();
      assertThat(models(g)).as("a file with errors is refused whole").contains("gpt-4o").doesNotContain("broken");

      Files.writeString(file, config(dir, "  mystery-model-x: { provider: sim }\n"));
      g.checkConfigNow();
      assertThat(models(g)).as("a model with no known price is refused, the old config kept").contains("gpt-4o")
          .doesNotContain("mystery-model-x");
      assertThat(chat(g, "gpt-4o", false).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aRestartKeepsMonthToDateUseSoAHardCapStillHolds(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tollgate.yaml");
    Files.writeString(file, config(dir, "").replace("teams:\n  ops: {}", """
        teams:
          ops:
            budgets: [ { window: month, requests: 5 } ]
        budgets:
          - { scope: "user:*", window: month, requests: 4 }
        """));
    GatewayConfig cfg = onAnyPort(ConfigLoader.load(file));
    try (Gateway g = Gateway.start(cfg, Clock.systemUTC())) {
      for (int i = 0; i < 3; i++) assertThat(chat(g, "gpt-4o-mini", false).statusCode()).isEqualTo(200);
    }
    try (Gateway g = Gateway.start(cfg, Clock.systemUTC())) {
      assertThat(chat(g, "gpt-4o-mini", false).statusCode()).isEqualTo(200);
      assertThat(chat(g, "gpt-4o-mini", true).statusCode()).isEqualTo(200);
      HttpResponse<String> sixth = chat(g, "gpt-4o-mini", false);
      assertThat(sixth.statusCode()).as("5 of 5 used: 3 before the restart, 2 after").isEqualTo(429);
      assertThat(JSON.readTree(sixth.body()).at("/error/used").asLong()).isEqualTo(5);
    }
  }
}
