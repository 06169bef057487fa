package dev.tollgate.provider.shared;

import dev.tollgate.port.ProviderAdapter.CallHandle;
import dev.tollgate.port.ProviderAdapter.ResponseSink;
import dev.tollgate.port.ProviderAdapter.UpstreamFailure;
import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Sits between the upstream call and the pipeline's sink, turning a vendor's answer into the OpenAI
 * wire format as it arrives.
 *
 * <p>A stream is translated event by event, nothing held back longer than one vendor event; an
 * error event inside the stream ends the call as a failure, which the pipeline reports to the client
 * and the ledger. A whole body (answer or error) is read to its end, then translated, so its status
 * can still change: an answer that cannot be read becomes a 502 naming the vendor.
 */
public final class TranslatingSink implements ResponseSink, UpstreamHttp.HandleAware {

  /** What one vendor's translation provides. */
  public interface Vendor {
    /** A vendor name for messages, e.g. "Anthropic". */
    String name();

    /** A whole successful answer as an OpenAI chat completion. */
    byte[] completion(byte[] body) throws Exception;

    /** A vendor error (its status, lower-case headers and body) as an OpenAI error body; the status is relayed as it is. */
    byte[] error(int status, Map<String, String> headers, byte[] body);

    /** A fresh stream translator for one call. */
    StreamTranslator stream();
  }

  /** Translates one streamed answer. */
  public interface StreamTranslator {
    /** The next upstream bytes; returns OpenAI SSE bytes to pass on now (maybe none). */
    byte[] accept(byte[] chunk);

    /** The upstream ended; returns the last OpenAI bytes, or throws if the stream was incomplete. */
    byte[] end();
  }

  /** A stream that reported an error, or could not be read: the call fails as broken off. */
  public static final class StreamError extends RuntimeException {
    public StreamError(String message) {
      super(message, null, false, false);
    }
  }

  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final ResponseSink downstream;
  private final Vendor vendor;
  private final boolean stream;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private StreamTranslator translator;
  private CallHandle handle;
  private int status;
  private Map<String, String> headers = Map.of();
  private boolean over;

  public TranslatingSink(ResponseSink downstream, Vendor vendor, boolean stream) {
    this.downstream = downstream;
    this.vendor = vendor;
    this.stream = stream;
  }

  @Override
  public void handle(CallHandle handle) {
    this.handle = handle;
  }

  private boolean ok() {
    return status >= 200 && status < 300;
  }

  @Override
  public void onHead(int status, Map<String, String> headers) {
    if (over) return;
    this.status = status;
    this.headers = headers;
    if (ok() && stream) {
      translator = vendor.stream();
      downstream.onHead(200, Map.of("content-type", "text/event-stream"));
    }
  }

  @Override
  public void onData(byte[] chunk) {
    if (over) return;
    if (ok() && stream) {
      byte[] out;
      try {
        out = translator.accept(chunk);
      } catch (StreamError | IllegalStateException e) {
        broken(e.getMessage());
        return;
      }
      if (out.length > 0) downstream.onData(out);
      return;
    }
    if (ok() || body.size() < MAX_ERROR_BODY) body.writeBytes(chunk);
  }

  @Override
  public void onEnd() {
    if (over) return;
    if (ok() && stream) {
      byte[] rest;
      try {
        rest = translator.end();
      } catch (StreamError | IllegalStateException e) {
        broken(e.getMessage());
        return;
      }
      over = true;
      if (rest.length > 0) downstream.onData(rest);
      downstream.onEnd();
      return;
    }
    over = true;
    byte[] bytes = body.toByteArray();
    if (!ok()) {
      whole(status, vendor.error(status, headers, bytes));
      return;
    }
    byte[] completion;
    try {
      completion = vendor.completion(bytes);
    } catch (Exception e) {
      whole(502, OpenAiShapes.error(vendor.name() + " answered with a body the gateway could not read: " + e.getMessage(),
          "api_error", "unreadable_answer"));
      return;
    }
    whole(200, completion);
  }

  private void whole(int status, byte[] bytes) {
    downstream.onHead(status, Map.of("content-type", "application/json"));
    downstream.onData(bytes);
    downstream.onEnd();
  }

  @Override
  public void onFailure(UpstreamFailure failure) {
    if (over) return;
    over = true;
    downstream.onFailure(failure);
  }

  private void broken(String message) {
    over = true;
    if (handle != null) handle.cancel();
    downstream.onFailure(new UpstreamFailure(UpstreamFailure.Kind.RESET, message));
  }
}
