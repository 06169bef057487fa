package dev.tollgate.pipeline.cache;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.policy.CachePolicy;
import dev.tollgate.domain.policy.WorkloadClass;
import dev.tollgate.domain.pricing.CostCalculator;
import dev.tollgate.domain.usage.Efficiency;
import dev.tollgate.pipeline.Decision;
import dev.tollgate.pipeline.ErrorKind;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.GatewayError;
import dev.tollgate.pipeline.Stage;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The response-cache stage, between route and admit.
 *
 * <p>Flow: every request gets its prompt fingerprints, {@code max_tokens} and template name noted
 * for the ledger. Then, if its workload class has a {@code cache:} and the request did not opt out
 * ({@code X-Tollgate-Cache: off}, or a class with {@code default: off} and no {@code on}):
 *
 * <ol>
 *   <li>the key is made from the isolation scope, the served model and the client's body ({@link CacheKey});
 *   <li>a live answer under it is a hit: the request is answered from memory ({@link Decision.Answer}) —
 *       no budget reserved, no provider called — and recorded with {@code cache_hit}, zero cost and
 *       the cost it saved (its stored usage at the served model's price);
 *   <li>otherwise (or with {@code refresh}, which skips the lookup) the call goes ahead through a
 *       {@link RecordingChannel}, which stores the answer if it succeeds in full.
 * </ol>
 *
 * The answer says {@code X-Tollgate-Cache: hit} or {@code miss} whenever the cache was consulted.
 */
public final class CacheLookup implements Stage {

  static final String HEADER = "x-tollgate-cache";
  static final String TEMPLATE_HEADER = "x-tollgate-template";
  private static final Pattern TEMPLATE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final ResponseCache cache;

  public CacheLookup(ResponseCache cache) {
    this.cache = cache;
  }

  @Override
  public Decision apply(Exchange x) {
    String template = x.header(TEMPLATE_HEADER);
    if (template != null && !TEMPLATE_NAME.matcher(template.trim()).matches()) {
      return invalid("X-Tollgate-Template must be a template name: letters, digits and . _ : - (at most 128), e.g. ticket-summary.");
    }
    String mode = x.header(HEADER) == null ? null : x.header(HEADER).trim().toLowerCase(Locale.ROOT);
    if (mode != null && !mode.equals("on") && !mode.equals("off") && !mode.equals("refresh")) {
      return invalid("X-Tollgate-Cache must be on, off or refresh.");
    }
    JsonNode clientBody = clientBody(x);
    var hashes = PromptFingerprint.of(clientBody);
    x.efficiency(new Efficiency(Money.ZERO, template == null ? null : template.trim(), hashes.promptHash(),
        hashes.prefixHash(), maxTokens(clientBody)));

    WorkloadClass cls = x.workloadClass();
    CachePolicy policy = cls == null ? null : cls.cache();
    if (policy == null) return Decision.CONTINUE;
    boolean use = mode == null ? policy.byDefault() : !mode.equals("off");
    if (!use) return Decision.CONTINUE;

    String key = CacheKey.of(x, clientBody, policy.share());
    if (mode != null && mode.equals("refresh")) {
      cache.bypassed();
    } else {
      CachedAnswer hit = cache.get(cls.name(), policy, key);
      if (hit != null) return replay(x, hit);
    }
    x.answerHeaders().put(HEADER, "miss");
    long maxBytes = policy.maxBytes() != null ? policy.maxBytes() : Long.MAX_VALUE;
    x.answerTap(client -> new RecordingChannel(client, x, maxBytes, answer -> cache.put(cls.name(), policy, key, answer)));
    return Decision.CONTINUE;
  }

  /** A dry run (policy simulation) neither reads nor fills the cache. */
  @Override
  public Decision simulate(Exchange x) {
    return Decision.CONTINUE;
  }

  private static Decision replay(Exchange x, CachedAnswer hit) {
    Money saved = CostCalculator.cost(x.route().price(), hit.usage());
    x.cacheHit(true);
    Efficiency e = x.efficiency();
    x.efficiency(new Efficiency(saved, e.template(), e.promptHash(), e.prefixHash(), e.maxTokens()));
    Map<String, String> headers = new LinkedHashMap<>(x.answerHeaders());
    headers.put(HEADER, "hit");
    if (!x.route().name().equals(x.requestedModel())) headers.put("x-tollgate-routed-model", x.route().name());
    if (hit.stream()) {
      headers.put("content-type", "text/event-stream; charset=utf-8");
      headers.put("cache-control", "no-cache");
    } else {
      headers.put("content-type", "application/json");
      headers.put("x-tollgate-cost-usd", Money.ZERO.toUsdString());
    }
    headers.put("x-tollgate-cost-saved-usd", saved.toUsdString());
    return Decision.answer(new Replay(hit, headers));
  }

  /** The body as the client sent it: the guard may have redacted the exchange's copy. */
  private static JsonNode clientBody(Exchange x) {
    if (x.redaction() == null) return x.body();
    try {
      return JSON.readTree(x.rawBody());
    } catch (IOException e) {
      return x.body(); // it was read once already by the decode stage; this cannot happen
    }
  }

  private static Long maxTokens(JsonNode body) {
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode n = body.get(field);
      if (n != null && n.canConvertToLong() && n.isIntegralNumber()) return n.asLong();
    }
    return null;
  }

  private static Decision invalid(String message) {
    return Decision.stop(GatewayError.of(ErrorKind.INVALID_REQUEST, message));
  }
}
