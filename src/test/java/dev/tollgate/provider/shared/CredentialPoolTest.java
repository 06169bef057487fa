package dev.tollgate.provider.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.ApiCredential;
import dev.tollgate.port.UpstreamEvents;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CredentialPoolTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final List<String> cooled = new ArrayList<>();
  private final UpstreamEvents events = new UpstreamEvents() {
    @Override
    public void credentialCooledDown(String provider, String credential, int status, Duration cooldown) {
      cooled.add(credential + ":" + status + ":" + cooldown.toSeconds() + "s");
    }
  };

  private CredentialPool pool(int... weights) {
    List<ApiCredential> creds = IntStream.range(0, weights.length)
        .mapToObj(i -> new ApiCredential(null, i, "secret-" + i, weights[i])).toList();
    return new CredentialPool("openai", creds, Duration.ofSeconds(60), clock, events);
  }

  private static String picks(CredentialPool pool, int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) out.append(pool.pick().index());
    return out.toString();
  }

  @Test
  void weightsThreeAndOneInterleaveSmoothly() {
    assertThat(picks(pool(3, 1), 8)).isEqualTo("00100010");
  }

  @Test
  void equalWeightsAlternateAndUnequalOnesKeepTheirShare() {
    assertThat(picks(pool(1, 1, 1), 6)).isEqualTo("012012");
    String many = picks(pool(5, 2, 1), 800);
    assertThat(many.chars().filter(c -> c == '0').count()).isEqualTo(500);
    assertThat(many.chars().filter(c -> c == '1').count()).isEqualTo(200);
    assertThat(many.chars().filter(c -> c == '2').count()).isEqualTo(100);
  }

  @Test
  void aRefusedKeyIsSkippedForTheCooldownThenComesBack() {
    CredentialPool pool = pool(1, 1);
    ApiCredential first = pool.pick();
    pool.coolDown(first, 401, null);
    assertThat(pool.hasAnotherReady(first)).isTrue();
    assertThat(picks(pool, 4)).isEqualTo("1111");
    clock.advance(Duration.ofSeconds(60));
    assertThat(picks(pool, 4)).contains("0");
    assertThat(cooled).containsExactly("key-1:401:60s");
  }

  @Test
  void aRateLimitedKeyCoolsDownForItsRetryAfterNotTheDefault() {
    CredentialPool pool = pool(1, 1);
    ApiCredential first = pool.pick();
    pool.coolDown(first, 429, Duration.ofSeconds(5));
    assertThat(picks(pool, 2)).isEqualTo("11");
    clock.advance(Duration.ofSeconds(5));
    assertThat(picks(pool, 4)).contains("0");
    pool.coolDown(first, 429, Duration.ofDays(2));
    assertThat(cooled).last().isEqualTo("key-1:429:3600s");
  }

  @Test
  void whenEveryKeyIsCoolingTheOneBackFirstIsUsed() {
    CredentialPool pool = pool(1, 1);
    ApiCredential a = pool.pick();
    ApiCredential b = pool.pick();
    pool.coolDown(a, 429, Duration.ofSeconds(30));
    pool.coolDown(b, 429, Duration.ofSeconds(10));
    assertThat(pool.hasAnotherReady(a)).isFalse();
    assertThat(pool.pick()).isEqualTo(b);
  }
}
