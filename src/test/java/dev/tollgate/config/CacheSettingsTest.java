package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.domain.policy.CachePolicy;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A workload class's {@code cache:} section: defaults, every setting, and refusals with their key paths. */
class CacheSettingsTest {

  static final String BASE = """
      storage: sqlite:data/t.db
      providers: { sim: { type: simulator } }
      models: { m: { provider: sim, price: { input_per_mtok: 1, output_per_mtok: 1 } } }
      workload_classes:
        c: { cache: %s }
      """;

  static GatewayConfig parse(String cache) {
    return ConfigLoader.parse(BASE.formatted(cache), "t.yaml", k -> null, Path.of("/tmp"));
  }

  @Test
  void aTtlAloneIsBoundedTo64MibIsolatedPerKeyAndOnByDefault() {
    CachePolicy p = parse("{ ttl_s: 3600 }").workloadClasses().get("c").cache();
    assertThat(p).isEqualTo(new CachePolicy(3600, null, 64L * 1024 * 1024, CachePolicy.Share.KEY, true));
  }

  @Test
  void everySettingIsRead() {
    CachePolicy p = parse("{ ttl_s: 60, max_entries: 500, share: team, default: off }").workloadClasses().get("c").cache();
    assertThat(p).isEqualTo(new CachePolicy(60, 500L, null, CachePolicy.Share.TEAM, false));
    assertThat(parse("{ ttl_s: 60, max_bytes: 1048576, share: org }").workloadClasses().get("c").cache())
        .isEqualTo(new CachePolicy(60, null, 1048576L, CachePolicy.Share.ORG, true));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{ ttl_s: 60, max_entries: 5, max_bytes: 4096 } | workload_classes.c.cache.max_bytes | either max_entries or max_bytes",
      "{ ttl_s: 60, share: world }                    | workload_classes.c.cache.share     | unknown share 'world'",
      "{ ttl_s: 60, default: maybe }                  | workload_classes.c.cache.default   | must be on or off",
      "{ max_bytes: 4096 }                            | workload_classes.c.cache.ttl_s     | is required",
      "{ ttl_s: 60, max_bytes: 10 }                   | workload_classes.c.cache.max_bytes | ",
      "{ ttl_s: 60, max_entries: 0 }                  | workload_classes.c.cache.max_entries | ",
      "{ ttl_s: 60, size: 10 }                        | workload_classes.c.cache.size      | "})
  void aBadSettingIsRefusedWithItsKeyPath(String cache, String path, String message) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(cache));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.errors()).anySatisfy(err -> {
      assertThat(err.keyPath()).isEqualTo(path);
      if (message != null) assertThat(err.message()).contains(message);
    });
  }
}
