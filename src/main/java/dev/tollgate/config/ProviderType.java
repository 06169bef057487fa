package dev.tollgate.config;

import java.util.Arrays;
import java.util.List;

/** The provider adapters this build has. Config values are the {@link #wire} names. */
public enum ProviderType {
  OPENAI("openai"),
  OPENAI_COMPATIBLE("openai-compatible"),
  ANTHROPIC("anthropic"),
  AZURE_OPENAI("azure-openai"),
  GEMINI("gemini"),
  BEDROCK("bedrock"),
  SIMULATOR("simulator");

  private final String wire;

  ProviderType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static ProviderType fromWire(String s) {
    for (ProviderType t : values()) if (t.wire.equals(s)) return t;
    return null;
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(ProviderType::wire).toList();
  }
}
