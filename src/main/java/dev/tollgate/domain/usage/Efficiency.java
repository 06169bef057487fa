package dev.tollgate.domain.usage;

import dev.tollgate.domain.money.Money;

/**
 * What a ledger row says about token efficiency: what a cache hit saved, which prompt template the
 * caller named, and fingerprints of the prompt that let reports find duplicates, retry chains and
 * shared prefixes without ever storing the prompt itself.
 *
 * @param costSaved what the answer would have cost upstream, for a response-cache hit; zero otherwise
 * @param template the prompt template named by {@code X-Tollgate-Template}, or null
 * @param promptHash hash of the prompt (messages and tools), or null where the request was not read
 * @param prefixHash hash of the prompt's first {@code 4096} characters of text, only for prompts at
 *     least that long (about the 1,024 tokens providers need before they cache a prefix); else null
 * @param maxTokens the output limit the request asked for ({@code max_tokens} or
 *     {@code max_completion_tokens}), or null when it set none
 */
public record Efficiency(Money costSaved, String template, String promptHash, String prefixHash, Long maxTokens) {

  public static final Efficiency NONE = new Efficiency(Money.ZERO, null, null, null, null);

  public Efficiency {
    if (costSaved == null) costSaved = Money.ZERO;
  }
}
