package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.app.Gateway;
import dev.tollgate.config.GatewayConfig;
import dev.tollgate.config.ServerConfig;
import dev.tollgate.domain.usage.UsageFilter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo} works for a new user: it starts offline, seeds sample data, and its printed curls work as printed. */
class DemoCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theCurlsTheDemoPrintsWorkAsPrinted() throws Exception {
    GatewayConfig cfg = DemoCommand.load(8400, dir.resolve("data").toString());
    ServerConfig s = cfg.server();
    GatewayConfig anyPort = cfg.withServer(cfg.server().withPort(0));
    try (Gateway g = Gateway.start(anyPort, Clock.systemUTC())) {
      int seeded = g.seedDemoData(Clock.systemUTC());
      assertThat(seeded).as("thirty days of sample history").isGreaterThan(1000);
      assertThat(g.seedDemoData(Clock.systemUTC())).as("seeded once only").isZero();
      var supportMonth = g.budgets().status(cfg.org().timeZone()).stream()
          .filter(st -> st.budget().id().equals("cfg:team:support:month:usd")).findFirst().orElseThrow();
      assertThat(supportMonth.used()).as("the sample history counts against the budgets").isPositive();

      String banner = DemoCommand.banner(anyPort, g.port(), seeded);
      List<String> curls = Arrays.stream(banner.split("\n")).map(String::trim).filter(l -> l.startsWith("curl ")).toList();
      assertThat(curls).hasSize(3);

      JsonNode completion = JSON.readTree(run(curls.get(0)));
      assertThat(completion.at("/choices/0/message/content").asText()).isNotBlank();
      assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(40);

      String stream = run(curls.get(1));
      assertThat(stream).contains("data: {").endsWith("data: [DONE]\n\n");

      JsonNode usage = JSON.readTree(run(curls.get(2)));
      assertThat(usage.get("rows")).isNotEmpty();
      assertThat(usage.at("/totals/requests").asLong()).isPositive();

      g.storage().ledgerWriter().flush();
      long live = g.storage().usageQuery().recent(new UsageFilter(null, null, null, null, null, null), 5000).stream()
          .filter(r -> !"true".equals(r.attribution().tags().get("sample"))).count();
      assertThat(live).as("the two chat curls are in the ledger").isEqualTo(2);
    }
  }

  private static String run(String command) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
