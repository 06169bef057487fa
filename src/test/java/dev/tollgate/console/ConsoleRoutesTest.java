package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's files over plain HTTP: what is served, with which headers, and what is not. */
class ConsoleRoutesTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("""
        server: { host: 127.0.0.1, port: 0 }
        storage: sqlite:${DIR}/t.db
        admin: { token: ${TOKEN} }
        providers: { sim: { type: simulator } }
        models: { gpt-4o-mini: { provider: sim } }
        """, Map.of("DIR", dir.toString(), "TOKEN", TestGateway.ADMIN_TOKEN), dir);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void theConsoleIsServedAtSlashConsoleWithAStrictContentSecurityPolicy() {
    HttpResponse<String> bare = gateway.get("/console", null);
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("location")).hasValue("/console/");

    HttpResponse<String> index = gateway.get("/console/", null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
    assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\"></script>");
    assertThat(index.headers().firstValue("content-security-policy").orElseThrow())
        .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-eval");
    assertThat(index.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");

    HttpResponse<String> module = gateway.get("/console/pages/overview.js", null);
    assertThat(module.statusCode()).isEqualTo(200);
    assertThat(module.headers().firstValue("content-type").orElseThrow()).startsWith("text/javascript");
  }

  @Test
  void aRevalidationWithTheSameEtagGetsNotModified() throws Exception {
    HttpResponse<String> first = gateway.get("/console/app.css", null);
    String etag = first.headers().firstValue("etag").orElseThrow();
    HttpResponse<String> again = gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/console/app.css"))
        .header("if-none-match", etag).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void theChartLibraryComesFromItsWebJar() {
    HttpResponse<String> echarts = gateway.get("/console/vendor/echarts.esm.min.js", null);
    assertThat(echarts.statusCode()).isEqualTo(200);
    assertThat(echarts.headers().firstValue("content-type").orElseThrow()).startsWith("text/javascript");
    assertThat(echarts.body()).contains("registerTheme");
    assertThat(echarts.headers().firstValue("cache-control").orElseThrow()).contains("max-age=86400");
    // Only the browser build is reachable, not the rest of the jar's META-INF.
    assertThat(gateway.get("/console/vendor/echarts.js.map", null).statusCode()).isEqualTo(404);
    assertThat(gateway.get("/console/vendor/../../MANIFEST.MF", null).statusCode()).isEqualTo(404);
  }

  @Test
  void routesJsonListsTheAdminRoutesOfThisBuildAndNeedsNoToken() throws Exception {
    HttpResponse<String> r = gateway.get("/console/routes.json", null);
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> routes = new ArrayList<>();
    JSON.readTree(r.body()).get("routes").forEach(n -> routes.add(n.asText()));
    assertThat(routes).contains("GET /admin/v1/usage", "POST /admin/v1/keys", "POST /admin/v1/keys/:id/revoke", "GET /admin/v1/budgets/status")
        .allMatch(s -> s.matches("[A-Z]+ /admin/v1/\\S+"));
  }

  @Test
  void onlyTheConsolesOwnFilesAreServedNeverTheWorkingDirectoryOrOtherResources() throws Exception {
    // A console/ folder where the gateway runs must not replace the console (Vert.x's StaticHandler would serve it).
    Path cwdConsole = Path.of("console");
    boolean made = !Files.exists(cwdConsole);
    try {
      if (made) {
        Files.createDirectories(cwdConsole);
        Files.writeString(cwdConsole.resolve("shadow.html"), "shadow");
      }
      assertThat(gateway.get("/console/shadow.html", null).statusCode()).isEqualTo(404);
    } finally {
      if (made) {
        Files.deleteIfExists(cwdConsole.resolve("shadow.html"));
        Files.deleteIfExists(cwdConsole);
      }
    }
    for (String path : List.of("/console/../openapi.json", "/console/%2e%2e/openapi.json", "/console/..%2fdemo/tollgate-demo.yaml",
        "/console/lib/", "/console/app.js.map", "/console/nothing.js")) {
      HttpResponse<String> r = gateway.get(path, null);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).doesNotContain("\"openapi\"").doesNotContain("providers:");
    }
    JsonNode notFound = JSON.readTree(gateway.get("/console/nothing.js", null).body());
    assertThat(notFound.at("/error/code").asText()).isEqualTo("not_found");
  }
}
