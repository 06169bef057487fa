package dev.tollgate.pipeline.cache;

import dev.tollgate.domain.usage.RequestStatus;
import dev.tollgate.pipeline.ClientChannel;
import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.ForwardingChannel;
import dev.tollgate.pipeline.GatewayError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Passes everything through to the client and keeps a copy of a successful answer for the cache:
 * a 200 body, or every write of a stream that ended without error. Errors, refusals, cut streams
 * and answers larger than {@code maxBytes} are never kept.
 */
final class RecordingChannel extends ForwardingChannel {

  private final Exchange x;
  private final long maxBytes;
  private final Consumer<CachedAnswer> store;
  private final List<byte[]> chunks = new ArrayList<>();
  private boolean streaming;
  private boolean spoiled;
  private long bytes;

  RecordingChannel(ClientChannel client, Exchange x, long maxBytes, Consumer<CachedAnswer> store) {
    super(client);
    this.x = x;
    this.maxBytes = maxBytes;
    this.store = store;
  }

  @Override
  public void sendError(GatewayError error) {
    spoiled = true;
    next.sendError(error);
  }

  @Override
  public void sendBody(int status, Map<String, String> headers, byte[] body) {
    if (status == 200 && succeeded() && body.length <= maxBytes) {
      store.accept(new CachedAnswer(false, List.of(), body.clone(), x.usage()));
    }
    next.sendBody(status, headers, body);
  }

  @Override
  public void startStream(int status, Map<String, String> headers) {
    streaming = status == 200;
    spoiled |= !streaming;
    next.startStream(status, headers);
  }

  @Override
  public void write(byte[] data) {
    if (streaming && !spoiled) {
      bytes += data.length;
      if (bytes > maxBytes) {
        spoiled = true;
        chunks.clear();
      } else {
        chunks.add(data.clone());
      }
    }
    next.write(data);
  }

  @Override
  public void end() {
    // A stream cut upstream or refused midway has failed the exchange before its last write.
    if (streaming && !spoiled && succeeded()) store.accept(new CachedAnswer(true, chunks, null, x.usage()));
    next.end();
  }

  private boolean succeeded() {
    return x.error() == null && x.status() == RequestStatus.OK;
  }
}
