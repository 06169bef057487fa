package dev.tollgate.report.focus;

import java.util.Locale;

/**
 * The company names FOCUS wants (ProviderName, PublisherName, HostProviderName…) from what Tollgate
 * knows: the provider type of an adapter and a model's name. Self-hosted models (an OpenAI-compatible
 * server of one's own) are provided and hosted by the organisation itself.
 */
final class ProviderNames {

  private ProviderNames() {}

  /** Who sells the service (ProviderName, InvoiceIssuerName, ServiceProviderName); null when self-hosted. */
  static String company(String providerType) {
    if (providerType == null) return "Unknown provider";
    return switch (providerType.toLowerCase(Locale.ROOT)) {
      case "openai" -> "OpenAI";
      case "anthropic" -> "Anthropic";
      case "azure", "azure-openai", "azure_ai" -> "Microsoft";
      case "gemini", "vertex", "vertex_ai", "google" -> "Google";
      case "bedrock" -> "Amazon Web Services";
      case "mistral" -> "Mistral AI";
      case "cohere" -> "Cohere";
      case "simulator" -> "Tollgate Simulator";
      case "openai-compatible" -> null;
      default -> providerType;
    };
  }

  /** The developer of a model, guessed from its name; {@code fallback} when the name says nothing. */
  static String publisher(String model, String fallback) {
    if (model == null) return fallback;
    String m = model.toLowerCase(Locale.ROOT);
    m = m.substring(m.lastIndexOf('/') + 1);
    if (m.startsWith("gpt") || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt")
        || m.startsWith("text-embedding") || m.startsWith("dall-e") || m.startsWith("whisper") || m.startsWith("tts")) {
      return "OpenAI";
    }
    if (m.startsWith("claude")) return "Anthropic";
    if (m.startsWith("gemini") || m.startsWith("gemma")) return "Google";
    if (m.startsWith("llama") || m.startsWith("meta-llama")) return "Meta";
    if (m.startsWith("mistral") || m.startsWith("mixtral") || m.startsWith("codestral")) return "Mistral AI";
    if (m.startsWith("command")) return "Cohere";
    if (m.startsWith("deepseek")) return "DeepSeek";
    if (m.startsWith("qwen")) return "Alibaba Cloud";
    return fallback;
  }
}
