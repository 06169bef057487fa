package dev.tollgate.provider.shared;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** Byte arrays handed to Vert.x without a copy. */
public final class Buffers {

  private Buffers() {}

  /**
   * A buffer over {@code bytes} itself: {@code Buffer.buffer(byte[])} copies the array, which for every
   * request body sent upstream and every answer or stream chunk sent to the client doubled the bytes
   * allocated on the event loop. Safe because the request path never changes an array once it has
   * been handed on (bodies and chunks are made fresh, cached answers are never written to).
   */
  public static Buffer wrap(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }
}
