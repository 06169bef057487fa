package dev.tollgate.provider.shared;

/**
 * The answer of an adapter asked for an operation its vendor does not offer through it (e.g.
 * embeddings from an Anthropic model). Routing already refuses such requests; this is the last line,
 * so that an adapter never sends a chat translation of a request that was not a chat.
 */
public final class Unserved {

  private Unserved() {}

  public static byte[] errorBody(String providerType, String path) {
    String what = "/responses".equals(path) ? "The Responses API is served only by OpenAI-family providers"
        : "The operation " + path + " is not served by this gateway's " + providerType + " adapter";
    return OpenAiShapes.error(what + " (this model's provider is of type " + providerType + "); use a model served by "
        + "openai, azure-openai, openai-compatible or simulator" + ("/embeddings".equals(path) ? " (or gemini)" : "") + ".", "invalid_request_error", "invalid_request");
  }
}
