package dev.tollgate.http;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: {@code req_} + time + randomness, sortable by time, unique without coordination. */
public final class RequestIds {

  private RequestIds() {}

  public static String next(long epochMillis) {
    long random = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    String r = Long.toString(random, 36);
    return "req_" + Long.toString(epochMillis, 36) + "0000000000000".substring(r.length()) + r;
  }
}
