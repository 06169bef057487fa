package dev.tollgate.admin;

import static dev.tollgate.admin.AdminTestSupport.ADMIN;
import static dev.tollgate.admin.AdminTestSupport.errorCode;
import static dev.tollgate.admin.AdminTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.key.KeySecrets;
import dev.tollgate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Personal admin tokens: made by an admin with a role, shown once, kept hashed, usable, revocable, expiring. */
class AdminTokensTest {

  @TempDir static Path dir;
  static TestGateway gw;
  static final OidcVerifierTest.MutableClock clock = new OidcVerifierTest.MutableClock();

  @BeforeAll
  static void start() {
    gw = TestGateway.start(TestGateway.parse(AdminTestSupport.YAML, Map.of("DIR", dir.toString()), dir), clock);
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
  }

  @Test
  void aTokenIsShownOnceWorksWithItsRoleAndStopsWorkingWhenRevoked() {
    HttpResponse<String> made = gw.post("/admin/v1/tokens", ADMIN,
        "{\"name\":\"ana-finance\",\"role\":\"finance\",\"user\":\"ana@acme.test\"}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonNode token = json(made);
    String secret = token.get("secret").asText();
    assertThat(secret).startsWith("tga-").hasSize(52);
    assertThat(token.get("secret_prefix").asText()).isEqualTo(secret.substring(0, 7) + "…");
    assertThat(token.get("created_by").asText()).isEqualTo("admin-token");
    assertThat(gw.get("/admin/v1/tokens", ADMIN).body()).doesNotContain(secret).contains("ana-finance");

    HttpResponse<String> me = gw.get("/admin/v1/whoami", secret);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(json(me).get("role").asText()).isEqualTo("finance");
    assertThat(json(me).get("actor").asText()).isEqualTo("token:" + token.get("id").asText());
    assertThat(gw.get("/admin/v1/budgets", secret).statusCode()).isEqualTo(200);
    assertThat(gw.get("/admin/v1/tokens", secret).statusCode()).as("finance does not manage tokens").isEqualTo(403);

    HttpResponse<String> revoked = gw.post("/admin/v1/tokens/" + token.get("id").asText() + "/revoke", ADMIN, "");
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(json(revoked).get("revoked_at").isNull()).isFalse();
    HttpResponse<String> after = gw.get("/admin/v1/whoami", secret);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(json(after).at("/error/message").asText()).contains("revoked");
    assertThat(gw.post("/admin/v1/tokens/" + token.get("id").asText() + "/revoke", ADMIN, "").statusCode())
        .as("revoking twice answers with the token").isEqualTo(200);
    assertThat(gw.post("/admin/v1/tokens/tok_nothing/revoke", ADMIN, "").statusCode()).isEqualTo(404);
  }

  @Test
  void aTokenStopsWorkingAtItsExpiry() {
    String expiry = clock.instant().plus(Duration.ofHours(1)).toString();
    String secret = AdminTestSupport.token(gw, "{\"name\":\"temp-auditor\",\"role\":\"auditor\",\"expires_at\":\"" + expiry + "\"}");
    assertThat(gw.get("/admin/v1/whoami", secret).statusCode()).isEqualTo(200);
    clock.now = clock.now.plus(Duration.ofHours(1));
    HttpResponse<String> r = gw.get("/admin/v1/whoami", secret);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(json(r).at("/error/message").asText()).contains("expired");
  }

  @Test
  void aTokenIsKeptOnlyAsTheHashOfItsSecret() throws Exception {
    String secret = AdminTestSupport.token(gw, "{\"name\":\"hashed\",\"role\":\"admin\"}");
    try (Connection c = gw.gateway().storage().database().dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM admin_tokens WHERE name = 'hashed'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("secret_hash")).isEqualTo(KeySecrets.hash(secret));
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) assertThat(String.valueOf(rs.getString(i))).doesNotContain(secret);
    }
  }

  @Test
  void makingATokenChecksItsRoleTeamsAndName() {
    assertThat(errorCode(gw.post("/admin/v1/tokens", ADMIN, "{\"name\":\"x\",\"role\":\"superuser\"}"))).isEqualTo("invalid_request");
    assertThat(gw.post("/admin/v1/tokens", ADMIN, "{\"name\":\"x\"}").statusCode()).as("a role is required").isEqualTo(400);
    assertThat(gw.post("/admin/v1/tokens", ADMIN, "{\"name\":\"x\",\"role\":\"team-lead\"}").statusCode()).as("a lead needs teams").isEqualTo(400);
    assertThat(gw.post("/admin/v1/tokens", ADMIN, "{\"name\":\"x\",\"role\":\"member\"}").statusCode()).as("a member needs a user").isEqualTo(400);
    assertThat(gw.post("/admin/v1/tokens", ADMIN, "{\"name\":\"x\",\"role\":\"team-lead\",\"teams\":[\"marketing\"]}").statusCode())
        .as("unknown team").isEqualTo(400);
    assertThat(gw.post("/admin/v1/tokens", ADMIN, "{\"role\":\"admin\"}").statusCode()).as("a name is required").isEqualTo(400);
    AdminTestSupport.token(gw, "{\"name\":\"taken\",\"role\":\"auditor\"}");
    assertThat(gw.post("/admin/v1/tokens", ADMIN, "{\"name\":\"taken\",\"role\":\"auditor\"}").statusCode()).isEqualTo(409);
  }

  @Test
  void aTokenMayNotMakeATokenAboveItsRole() {
    String lead = AdminTestSupport.token(gw, "{\"name\":\"lead-x\",\"role\":\"team-lead\",\"teams\":[\"support\"]}");
    HttpResponse<String> r = gw.post("/admin/v1/tokens", lead, "{\"name\":\"my-admin\",\"role\":\"admin\"}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(errorCode(r)).isEqualTo("role_not_allowed");
  }

  @Test
  void aVirtualKeyOrAnUnknownTokenIsNotAnAdminCredential() {
    assertThat(gw.get("/admin/v1/whoami", AdminTestSupport.SUPPORT_KEY).statusCode()).isEqualTo(401);
    assertThat(gw.get("/admin/v1/whoami", "tga-000000000000000000000000000000000000000000000000").statusCode()).isEqualTo(401);
    assertThat(gw.get("/admin/v1/whoami", null).statusCode()).isEqualTo(401);
  }
}
