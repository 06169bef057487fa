package dev.tollgate.provider.openai;

import java.util.Set;

/** The OpenAI operations an OpenAI-family provider serves, by upstream path. */
public final class OpenAiPaths {

  public static final String CHAT = "/chat/completions";
  public static final String EMBEDDINGS = "/embeddings";
  public static final String RESPONSES = "/responses";
  public static final Set<String> SERVED = Set.of(CHAT, EMBEDDINGS, RESPONSES);

  private OpenAiPaths() {}
}
