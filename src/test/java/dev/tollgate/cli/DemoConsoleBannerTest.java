package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.GatewayConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo tells a new user where the console is and which token signs in to it. */
class DemoConsoleBannerTest {

  @TempDir Path dir;

  @Test
  void theBannerPrintsTheConsoleUrlAndTheAdminTokenToSignInWith() {
    GatewayConfig cfg = DemoCommand.load(8400, dir.toString());
    String banner = DemoCommand.banner(cfg, 8400, 0);
    assertThat(banner).contains("Console: http://127.0.0.1:8400/console/")
        .contains("sign in with the admin token " + cfg.admin().token())
        .doesNotContain("not in this build");
  }
}
