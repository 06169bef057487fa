package dev.tollgate.pipeline.meter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.domain.usage.TokenUsage;

/**
 * Reads the {@code usage} object of an OpenAI chat completion (or of the last stream chunk), of an
 * embeddings answer ({@code prompt_tokens} only), or of a Responses API response.
 * {@code prompt_tokens_details.cache_write_tokens} is Tollgate's own extension: adapters for vendors
 * that bill prompt-cache writes (Anthropic) report them there, so they are priced at their own rate.
 */
public final class OpenAiUsage {

  private OpenAiUsage() {}

  /** The usage in {@code usage}, or null if the node holds none. */
  public static TokenUsage parse(JsonNode usage) {
    if (usage != null && usage.isObject() && !usage.has("prompt_tokens") && usage.has("input_tokens")) return responses(usage);
    if (usage == null || !usage.isObject() || !usage.has("prompt_tokens")) return null;
    long input = usage.path("prompt_tokens").asLong(0);
    long output = usage.path("completion_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    long reasoning = usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0);
    long cacheWrite = usage.path("prompt_tokens_details").path("cache_write_tokens").asLong(0);
    long cachedIn = Math.min(Math.max(0, cached), Math.max(0, input));
    return new TokenUsage(Math.max(0, input), cachedIn, Math.min(Math.max(0, cacheWrite), Math.max(0, input - cachedIn)),
        Math.max(0, output), Math.min(Math.max(0, reasoning), Math.max(0, output)));
  }

  /**
   * The Responses API's usage: {@code input_tokens} (with {@code input_tokens_details.cached_tokens})
   * and {@code output_tokens} (with {@code output_tokens_details.reasoning_tokens}).
   */
  private static TokenUsage responses(JsonNode usage) {
    long input = Math.max(0, usage.path("input_tokens").asLong(0));
    long output = Math.max(0, usage.path("output_tokens").asLong(0));
    long cached = Math.min(Math.max(0, usage.path("input_tokens_details").path("cached_tokens").asLong(0)), input);
    long reasoning = Math.min(Math.max(0, usage.path("output_tokens_details").path("reasoning_tokens").asLong(0)), output);
    return new TokenUsage(input, cached, 0, output, reasoning);
  }
}
