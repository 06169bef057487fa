package dev.tollgate.pipeline.call;

import dev.tollgate.pipeline.ModelRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Spreads a model's traffic over its deployments by weight and observed latency: each deployment's
 * share is its configured weight scaled by how fast it has been lately (an exponentially weighted
 * moving average of time to the answer's head), so a deployment that slows down or fails gets less
 * traffic until it recovers. The others stay in the order to fall back to.
 */
final class DeploymentBalancer {

  /** Weight of the newest observation in the moving average. */
  private static final double ALPHA = 0.2;
  /** A failure counts as this slow, so that a failing deployment is tried rarely but not never. */
  private static final double FAILURE_MS = 10_000;

  private final Map<String, Double> latencyMs = new ConcurrentHashMap<>();
  private final DoubleSupplier random;

  DeploymentBalancer(DoubleSupplier random) {
    this.random = random;
  }

  /** The deployments of {@code model} in the order to try them: the chosen one first. */
  List<ModelRoute> order(ModelRoute model) {
    List<ModelRoute> candidates = new ArrayList<>(model.placements());
    if (candidates.size() == 1) return candidates;
    double[] shares = new double[candidates.size()];
    double fastest = candidates.stream().mapToDouble(this::latency).min().orElse(1);
    double total = 0;
    for (int i = 0; i < shares.length; i++) {
      ModelRoute d = candidates.get(i);
      shares[i] = d.weight() * (fastest / latency(d));
      total += shares[i];
    }
    double pick = random.getAsDouble() * total;
    int chosen = shares.length - 1;
    for (int i = 0; i < shares.length; i++) {
      pick -= shares[i];
      if (pick < 0) {
        chosen = i;
        break;
      }
    }
    ModelRoute first = candidates.remove(chosen);
    candidates.sort((a, b) -> Double.compare(latency(a), latency(b)));
    candidates.add(0, first);
    return candidates;
  }

  void observed(ModelRoute deployment, long millis) {
    latencyMs.merge(key(deployment), (double) Math.max(1, millis), (old, now) -> old + ALPHA * (now - old));
  }

  void failed(ModelRoute deployment) {
    observed(deployment, (long) FAILURE_MS);
  }

  /** Unobserved deployments count as fast as the best, so that each is tried. */
  private double latency(ModelRoute d) {
    return latencyMs.getOrDefault(key(d), latencyMs.values().stream().mapToDouble(Double::doubleValue).min().orElse(100));
  }

  private static String key(ModelRoute d) {
    return d.provider().name() + "|" + d.upstream();
  }
}
