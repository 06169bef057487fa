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

  /** @param contentLength the request's content-length header, or null (a chunked body) */
  static BodyBytes expecting(String contentLength) {
    int declared = 0;
    if (contentLength != null) {
      try {
        declared = (int) Math.max(0, Math.min(Long.parseLong(contentLength.trim()), 64L << 20));
      } catch (NumberFormatException e) {
        declared = 0; // the HTTP server has already refused such a request; start small and grow
      }
    }
    return new BodyBytes(declared == 0 ? 1024 : declared);
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
