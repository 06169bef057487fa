package dev.tollgate.cli;

import dev.tollgate.app.Gateway;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the gateway with nothing to set up — the simulator provider (no network, no provider
 * key), a sample org, teams and keys, an embedded SQLite ledger with thirty days of sample history —
 * and a curl that works as printed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run an offline demo gateway: simulator provider, sample teams and keys, SQLite ledger with sample data.")
final class DemoCommand implements Callable<Integer> {

  static final String RESOURCE = "/demo/tollgate-demo.yaml";

  @Option(names = "--port", description = "Port to listen on (default ${DEFAULT-VALUE})", defaultValue = "8400")
  int port;

  @Option(names = "--data", paramLabel = "DIR", description = "Where the demo keeps its SQLite ledger (default ${DEFAULT-VALUE})",
      defaultValue = "tollgate-demo")
  String data;

  @Option(names = "--no-sample-data", description = "Start with an empty ledger")
  boolean noSampleData;

  @Override
  public Integer call() {
    GatewayConfig cfg = load(port, data);
    return ServeCommand.Runner.runUntilStopped(() -> Gateway.start(cfg, Clock.systemUTC()), g -> {
      int seeded = noSampleData ? 0 : g.seedDemoData(Clock.systemUTC());
      System.out.println(banner(cfg, g.port(), seeded));
    });
  }

  static GatewayConfig load(int port, String data) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("TOLLGATE_PORT", String.valueOf(port));
    env.put("TOLLGATE_DATA", data);
    try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCE)) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return ConfigLoader.parse(yaml, "tollgate-demo.yaml", env::get, Path.of("").toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String banner(GatewayConfig cfg, int port, int seeded) {
    String base = "http://127.0.0.1:" + port;
    String key = cfg.keys().get(0).secret();
    String admin = cfg.admin().token();
    return """

        Tollgate demo is running on %1$s  (org %2$s, ledger %3$s%4$s)
        Provider: simulator (offline, deterministic). Stop with Ctrl-C; the ledger is flushed on the way out.

        Try a chat completion as the support team's triage bot:

          curl -s %1$s/v1/chat/completions -H 'Authorization: Bearer %5$s' -H 'Content-Type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Summarise ticket 4711"}]}'

        The same, streamed:

          curl -sN %1$s/v1/chat/completions -H 'Authorization: Bearer %5$s' -H 'Content-Type: application/json' -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Summarise ticket 4711"}]}'

        Point any OpenAI SDK at it:  OPENAI_BASE_URL=%1$s/v1  OPENAI_API_KEY=%5$s

        Spend by team and model this month:

          curl -s '%1$s/admin/v1/usage?group_by=team,model' -H 'Authorization: Bearer %6$s'

        Other keys: %7$s. Admin API: %1$s/admin/v1/openapi.json. Metrics: %1$s/metrics.

        Console: %1$s/console/  — sign in with the admin token %6$s
        """.formatted(base, cfg.org().name(), cfg.storage(), seeded > 0 ? ", " + seeded + " sample rows added" : "",
        key, admin, String.join(", ", cfg.keys().stream().skip(1).map(k -> k.name() + " = " + k.secret()).toList()));
  }
}
