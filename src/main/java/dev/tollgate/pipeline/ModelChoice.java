package dev.tollgate.pipeline;

import dev.tollgate.domain.policy.WorkloadClass;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Which models a request may use — its key allows them and its workload class permits them — and which of those is cheapest. */
public final class ModelChoice {

  private ModelChoice() {}

  public static boolean allowed(Exchange x, ModelRoute m) {
    WorkloadClass cls = x.workloadClass();
    boolean privacy = !x.privateOnly() || "private".equals(m.tier());
    if (!privacy || !x.key().allowsModel(m.name()) || !serves(m, x.endpoint())) return false;
    if (cls == null || (cls.permits(m.name(), m.tier()) && !cls.needsException(m.tier()))) return true;
    return unlockedBy(x, m).isPresent();
  }

  /** True when every place the model is served can serve {@code endpoint} (e.g. embeddings). */
  public static boolean serves(ModelRoute m, Endpoint endpoint) {
    for (ModelRoute placement : m.placements()) {
      if (placement.provider() == null || !placement.provider().serves(endpoint.upstreamPath())) return false;
    }
    return true;
  }

  /** An active exception covering this request that unlocks the model or its tier. */
  public static java.util.Optional<dev.tollgate.domain.exception.BudgetException> unlockedBy(Exchange x, ModelRoute m) {
    WorkloadClass cls = x.workloadClass();
    return x.state().exceptions().unlocking(x.attribution(), x.key().name(), cls == null ? null : cls.name(), m.name(), m.tier(),
        x.startedAt());
  }

  public static List<ModelRoute> usable(Exchange x) {
    return x.state().models().values().stream().filter(m -> allowed(x, m)).toList();
  }

  /** Input plus output rate: the order used to call one model cheaper than another. */
  public static long rate(ModelRoute m) {
    return m.price().base().inputNanosPerMTok() + m.price().base().outputNanosPerMTok();
  }

  /** Usable models cheaper than {@code than}, cheapest first. */
  public static List<ModelRoute> cheaper(Exchange x, ModelRoute than) {
    return usable(x).stream().filter(m -> rate(m) < rate(than))
        .sorted(Comparator.comparingLong(ModelChoice::rate).thenComparing(ModelRoute::name)).toList();
  }

  public static Optional<ModelRoute> cheapest(Exchange x, ModelRoute than) {
    return cheaper(x, than).stream().findFirst();
  }
}
