package dev.tollgate.port;

/** Counts tokens the way a model's tokenizer would; used where a provider reports no usage. */
public interface TokenCounter {

  int count(String model, String text);
}
