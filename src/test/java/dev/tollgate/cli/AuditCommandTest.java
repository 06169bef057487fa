package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.app.Gateway;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate audit verify --config FILE} against the database a gateway wrote: passes on the
 * intact log (API changes and a config reload), fails naming the first row edited behind its back.
 */
class AuditCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = "test-admin-token-0123456789";

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run audit(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void verifyPassesOnTheIntactLogAndNamesTheFirstEditedRow() throws Exception {
    Path file = dir.resolve("tollgate.yaml");
    String yaml = """
        server: { host: 127.0.0.1, port: 0 }
        storage: sqlite:%s/tollgate.db
        admin: { token: %s }
        providers:
          sim: { type: simulator }
        models:
          gpt-4o-mini: { provider: sim, tier: economy }
        teams:
          support: {}
        """.formatted(dir, ADMIN);
    Files.writeString(file, yaml);
    GatewayConfig config = ConfigLoader.load(file);
    try (Gateway g = Gateway.startWatching(config, Clock.systemUTC(), Duration.ofHours(1));
        HttpClient http = HttpClient.newHttpClient()) {
      for (int usd : new int[] {10, 20}) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/admin/v1/budgets"))
            .header("authorization", "Bearer " + ADMIN)
            .POST(HttpRequest.BodyPublishers.ofString("{\"scope\":\"team:support\",\"window\":\"month\",\"usd\":" + usd + "}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      }
      Files.writeString(file, "# a comment changes nothing the gateway runs on\n" + yaml);
      g.checkConfigNow();
      Files.writeString(file, yaml + "  research: {}\n");
      g.checkConfigNow();
      assertThat(g.config().teams()).containsKey("research");

      HttpResponse<String> log = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port()
          + "/admin/v1/audit?resource=config")).header("authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());
      JsonNode rows = JSON.readTree(log.body()).get("data");
      assertThat(rows).as("the comment-only edit is not a change").hasSize(1);
      JsonNode reload = rows.get(0);
      assertThat(reload.get("actor").asText()).isEqualTo("config-file");
      assertThat(reload.get("method").asText()).isEqualTo("RELOAD");
      assertThat(reload.get("resource_id").asText()).isEqualTo("tollgate.yaml");
      assertThat(reload.at("/after/changed").toString()).isEqualTo("[\"teams\"]");
      assertThat(reload.at("/before/sections/teams").asText()).hasSize(64).isNotEqualTo(reload.at("/after/sections/teams").asText());
      assertThat(reload.at("/before/sections/models").asText()).isEqualTo(reload.at("/after/sections/models").asText());
      assertThat(reload.toString()).as("no secret in the log").doesNotContain(ADMIN);
    }

    Run ok = audit("audit", "verify", "--config", file.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("audit log OK: 3 rows");

    try (var db = dev.tollgate.store.sql.Database.open("sqlite:" + dir.resolve("tollgate.db"));
        Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TRIGGER audit_log_no_update");
      assertThat(s.executeUpdate("UPDATE audit_log SET after_json = replace(after_json, 'month', 'year') WHERE seq = 2")).isEqualTo(1);
    }
    Run broken = audit("audit", "verify", "--config", file.toString());
    assertThat(broken.exit()).isEqualTo(AuditCommand.BROKEN);
    assertThat(broken.err()).contains("audit log BROKEN at row 2").contains("changed after it was written");
  }

  @Test
  void aMissingConfigIsReportedWithExitTwo() {
    Run r = audit("audit", "verify", "--config", dir.resolve("nope.yaml").toString());
    assertThat(r.exit()).isEqualTo(AuditCommand.UNREADABLE);
    assertThat(r.err()).contains("file not found");
  }
}
