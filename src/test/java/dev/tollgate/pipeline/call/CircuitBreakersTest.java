package dev.tollgate.pipeline.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.resilience.BreakerPolicy;
import dev.tollgate.domain.resilience.CallPolicy;
import dev.tollgate.domain.resilience.RetryPolicy;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.pipeline.call.CircuitBreakers.State;
import dev.tollgate.port.ProviderAdapter;
import dev.tollgate.port.UpstreamEvents;
import dev.tollgate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The breaker's states, driven by a clock moved by hand. */
class CircuitBreakersTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final List<String> changes = new ArrayList<>();
  private final CircuitBreakers breakers = new CircuitBreakers(clock, new UpstreamEvents() {
    @Override
    public void circuitChanged(String provider, String deployment, String state) {
      changes.add(provider + "/" + deployment + "=" + state);
    }
  });
  private final ModelRoute deployment = route(new BreakerPolicy(3, Duration.ofSeconds(30), 1));

  static ModelRoute route(BreakerPolicy policy) {
    ProviderAdapter provider = new ProviderAdapter() {
      @Override public String name() { return "azure-east"; }
      @Override public String type() { return "azure-openai"; }
      @Override public CallHandle call(ProviderRequest request, ResponseSink sink) { throw new UnsupportedOperationException(); }
      @Override public void close() {}
      @Override public CallPolicy callPolicy() { return new CallPolicy(RetryPolicy.NONE, policy, null); }
    };
    return new ModelRoute("gpt-4o", provider, "gpt-4o-prod", "standard", Price.flat(dev.tollgate.domain.pricing.Rates.of(1, 1), "test"), null);
  }

  private State state() {
    return breakers.state("azure-east/gpt-4o-prod");
  }

  @Test
  void opensAfterTheConfiguredFailuresInARowAndRefusesUntilTheOpenTimeHasPassed() {
    breakers.failed(deployment);
    breakers.failed(deployment);
    breakers.succeeded(deployment); // a success in between starts the count again
    breakers.failed(deployment);
    breakers.failed(deployment);
    assertThat(breakers.allow(deployment)).isTrue();
    breakers.failed(deployment);
    assertThat(state()).isEqualTo(State.OPEN);
    assertThat(breakers.allow(deployment)).isFalse();
    clock.advance(Duration.ofSeconds(29));
    assertThat(breakers.allow(deployment)).isFalse();
    assertThat(changes).containsExactly("azure-east/gpt-4o-prod=open");
  }

  @Test
  void halfOpenLetsOneProbeThroughAndItsSuccessCloses() {
    for (int i = 0; i < 3; i++) breakers.failed(deployment);
    clock.advance(Duration.ofSeconds(30));
    assertThat(state()).isEqualTo(State.HALF_OPEN);
    assertThat(breakers.allow(deployment)).as("the probe").isTrue();
    assertThat(breakers.allow(deployment)).as("a second request while the probe runs").isFalse();
    breakers.succeeded(deployment);
    assertThat(state()).isEqualTo(State.CLOSED);
    assertThat(breakers.allow(deployment)).isTrue();
    assertThat(changes).containsExactly("azure-east/gpt-4o-prod=open", "azure-east/gpt-4o-prod=half_open",
        "azure-east/gpt-4o-prod=closed");
  }

  @Test
  void aFailedProbeOpensTheBreakerForAnotherFullPeriod() {
    for (int i = 0; i < 3; i++) breakers.failed(deployment);
    clock.advance(Duration.ofSeconds(30));
    assertThat(breakers.allow(deployment)).isTrue();
    breakers.failed(deployment);
    assertThat(state()).isEqualTo(State.OPEN);
    clock.advance(Duration.ofSeconds(29));
    assertThat(breakers.allow(deployment)).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breakers.allow(deployment)).isTrue();
  }

  @Test
  void aProbeThatNeverReportsFreesItsPlaceAfterTheOpenTime() {
    for (int i = 0; i < 3; i++) breakers.failed(deployment);
    clock.advance(Duration.ofSeconds(30));
    assertThat(breakers.allow(deployment)).isTrue();
    assertThat(breakers.allow(deployment)).isFalse();
    clock.advance(Duration.ofSeconds(30));
    assertThat(breakers.allow(deployment)).as("the lost probe no longer holds the place").isTrue();
    breakers.released(deployment);
    assertThat(breakers.allow(deployment)).isTrue();
  }

  @Test
  void aProviderWithoutABreakerIsAlwaysAllowed() {
    ModelRoute plain = route(null);
    for (int i = 0; i < 100; i++) breakers.failed(plain);
    assertThat(breakers.allow(plain)).isTrue();
    assertThat(breakers.states()).isEmpty();
  }
}
