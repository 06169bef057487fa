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
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
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

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void verifyPassesOnTheIntactLogAndNamesTheFirstEditedRow() throws Exception {
    Path file = dir.resolve("tollgate.yaml");
    String yaml = """
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
    String hashBefore = sha256(file);
    GatewayConfig config = ConfigLoader.load(file);
    try (Gateway g = Gateway.startWatching(config.withServer(config.server().withPort(0)), Clock.systemUTC(), Duration.ofHours(1));
        HttpClient http = HttpClient.newHttpClient()) {
      for (int usd : new int[] {10, 20}) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/admin/v1/budgets"))
            .header("authorization", "Bearer " + ADMIN)
            .POST(HttpRequest.BodyPublishers.ofString("{\"scope\":\"team:support\",\"window\":\"month\",\"usd\":" + usd + "}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      }
      Files.writeString(file, yaml + "  research: {}\n");
      g.checkConfigNow();
      assertThat(g.config().teams()).containsKey("research");

      HttpResponse<String> log = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port()
          + "/admin/v1/audit?resource=config")).header("authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());
      JsonNode reload = JSON.readTree(log.body()).get("data").get(0);
      assertThat(reload.get("actor").asText()).isEqualTo("config-file");
      assertThat(reload.get("method").asText()).isEqualTo("RELOAD");
      assertThat(reload.at("/before/sha256").asText()).isEqualTo(hashBefore);
      assertThat(reload.at("/after/sha256").asText()).isEqualTo(sha256(file));
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
