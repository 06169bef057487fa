package dev.tollgate.port;

/**
 * Talks to one configured provider. Every adapter speaks the OpenAI chat-completions wire format
 * towards the pipeline (bodies and SSE events), whatever its vendor speaks upstream, so that metering
 * and recording are written once.
 *
 * <p>Callbacks of the {@link ResponseSink} arrive in order on the thread that called {@link #call}
 * (the request's event loop), and the sink is told exactly one of {@code onEnd} or {@code onFailure}.
 */
public interface ProviderAdapter extends AutoCloseable {

  /** The provider's name in config ({@code openai}, {@code sim}…), recorded in the ledger. */
  String name();

  /** Provider type recorded in the ledger, e.g. {@code openai} or {@code simulator}. */
  String type();

  CallHandle call(ProviderRequest request, ResponseSink sink);

  /**
   * True when this provider can serve the operation at {@code path} ({@code /chat/completions},
   * {@code /embeddings}, {@code /responses}). Routing refuses a request for a model whose provider
   * cannot serve it, rather than sending a request it would get wrong. Chat completions by default.
   */
  default boolean serves(String path) {
    return CHAT_COMPLETIONS.equals(path);
  }

  /** The upstream path of chat completions, which every adapter serves. */
  String CHAT_COMPLETIONS = "/chat/completions";

  /** How failed calls to this provider are retried and when its deployments are taken out; none by default. */
  default dev.tollgate.domain.resilience.CallPolicy callPolicy() {
    return dev.tollgate.domain.resilience.CallPolicy.NONE;
  }

  @Override
  void close();

  /**
   * One upstream call: a path relative to the provider's base URL and the JSON body to send (OpenAI
   * wire format, model already renamed to the provider's id).
   *
   * @param nativeRequest the client's own request when it spoke another protocol (e.g. Anthropic
   *     Messages), so that an adapter of that same protocol can send it with full fidelity instead of
   *     the translation; null for OpenAI-protocol clients
   * @param upstreamModel the provider's model id, for adapters that send {@code nativeRequest}
   */
  record ProviderRequest(String path, byte[] body, boolean stream, java.util.Map<String, String> headers, String requestId,
      NativeRequest nativeRequest, String upstreamModel) {

    public ProviderRequest(String path, byte[] body, boolean stream, java.util.Map<String, String> headers, String requestId) {
      this(path, body, stream, headers, requestId, null, null);
    }
  }

  /**
   * A request as the client sent it, in its own protocol.
   *
   * @param protocol e.g. {@code anthropic}
   * @param body the client's JSON body
   * @param headers protocol headers worth passing on (e.g. anthropic-version, anthropic-beta), lower-case names
   */
  record NativeRequest(String protocol, byte[] body, java.util.Map<String, String> headers) {}

  /** Receives the upstream reply as it arrives. */
  interface ResponseSink {
    void onHead(int status, java.util.Map<String, String> headers);

    void onData(byte[] chunk);

    void onEnd();

    void onFailure(UpstreamFailure failure);
  }

  /** Lets the caller apply back-pressure to, or abandon, a call in flight. */
  interface CallHandle {
    void pause();

    void resume();

    void cancel();
  }

  /** Why a call produced no complete reply. */
  record UpstreamFailure(Kind kind, String message) {
    public enum Kind { CONNECT, TIMEOUT, RESET }
  }
}
