package dev.tollgate.pipeline.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.Rates;
import dev.tollgate.pipeline.ModelRoute;
import dev.tollgate.port.ProviderAdapter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeploymentBalancerTest {

  static final Price PRICE = Price.flat(Rates.of(1, 1), "test");

  static ModelRoute deployment(String provider, int weight) {
    return new ModelRoute("gpt-4o", adapter(provider), "gpt-4o", "standard", PRICE, null, weight, List.of());
  }

  static ModelRoute model(ModelRoute... deployments) {
    return new ModelRoute("gpt-4o", deployments[0].provider(), "gpt-4o", "standard", PRICE, null, 1, List.of(deployments));
  }

  final ModelRoute east = deployment("east", 3);
  final ModelRoute west = deployment("west", 1);

  @ParameterizedTest(name = "a draw of {0} goes to {1} (weights 3:1)")
  @CsvSource({"0.0, east", "0.74, east", "0.76, west", "0.99, west"})
  void withoutObservationsTrafficFollowsTheWeights(double draw, String expected) {
    DeploymentBalancer balancer = new DeploymentBalancer(() -> draw);
    assertThat(balancer.order(model(east, west)).get(0).provider().name()).isEqualTo(expected);
  }

  @Test
  void theOthersStayInTheOrderToFallBackTo() {
    DeploymentBalancer balancer = new DeploymentBalancer(() -> 0.0);
    assertThat(balancer.order(model(east, west))).extracting(d -> d.provider().name()).containsExactly("east", "west");
  }

  @Test
  void aSlowerDeploymentGetsAProportionallySmallerShare() {
    DeploymentBalancer balancer = new DeploymentBalancer(() -> 0.50);
    for (int i = 0; i < 50; i++) {
      balancer.observed(east, 400);
      balancer.observed(west, 100);
    }
    // Shares are now 3 × (100/400) = 0.75 for east and 1 × 1 = 1 for west: a draw at half the total goes west.
    assertThat(balancer.order(model(east, west)).get(0).provider().name()).isEqualTo("west");
    assertThat(new DeploymentBalancer(() -> 0.50).order(model(east, west)).get(0).provider().name()).isEqualTo("east");
  }

  @Test
  void aFailingDeploymentIsMostlyAvoidedButNotForgotten() {
    DeploymentBalancer balancer = new DeploymentBalancer(() -> 0.5);
    balancer.observed(west, 100);
    balancer.failed(east);
    assertThat(balancer.order(model(east, west))).extracting(d -> d.provider().name()).containsExactly("west", "east");
  }

  static ProviderAdapter adapter(String name) {
    return new ProviderAdapter() {
      public String name() { return name; }
      public String type() { return "openai"; }
      public CallHandle call(ProviderRequest request, ResponseSink sink) { throw new IllegalStateException("not called here"); }
      public void close() {}
    };
  }
}
