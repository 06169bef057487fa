package dev.tollgate.http;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * A request body gathered from its chunks into one array. When the client declared its length (nearly
 * always), the chunks are copied straight into an array of that size and that array is the body: one
 * copy, where appending to a growing {@code Buffer} and taking its bytes made two or more.
 */
final class BodyBytes {

  private byte[] bytes;
  private int length;

  private BodyBytes(int capacity) {
    this.bytes = new byte[capacity];
  }

  /** @param contentLength the request's declared length (already checked against the limit), or -1 when it has none */
  static BodyBytes expecting(long contentLength) {
    // At most 64 MB up front: a larger declared body (under a larger limit) grows as it arrives.
    return new BodyBytes(contentLength > 0 ? (int) Math.min(contentLength, 64L << 20) : 1024);
  }

  int length() {
    return length;
  }

  void append(Buffer chunk) {
    int n = chunk.length();
    if (length + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
    chunk.getBytes(0, n, bytes, length);
    length += n;
  }

  /** The body: the array itself when it was filled exactly, as with a truthful content-length. */
  byte[] bytes() {
    return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
  }
}
