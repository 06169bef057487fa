package dev.tollgate.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The local Redis the counter tests run against (127.0.0.1:6379), spoken to over a plain socket so
 * that tests can look at keys, clean up and pause the server independently of the code under test.
 */
public final class RedisTestServer {

  public static final String HOST = "127.0.0.1";
  public static final int PORT = 6379;
  public static final String URL = "redis://" + HOST + ":" + PORT;
  public static final String SKIP_MESSAGE = "Redis not reachable at " + HOST + ":" + PORT + " — skipping Redis counter tests";

  private static Boolean available;

  private RedisTestServer() {}

  public static synchronized boolean available() {
    if (available == null) {
      try {
        available = "PONG".equals(command("PING"));
      } catch (RuntimeException e) {
        available = false;
      }
    }
    return available;
  }

  /** A key prefix no other test uses. */
  public static String newPrefix(String what) {
    return "tg-test:" + what + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /** Runs one command on a fresh connection; returns a String, Long, List or null (errors throw). */
  public static Object command(String... args) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, PORT), 1000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return reply(new BufferedInputStream(s.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every key under a prefix. */
  public static List<String> keys(String prefix) {
    List<String> out = new ArrayList<>();
    String cursor = "0";
    do {
      List<?> r = (List<?>) command("SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000");
      cursor = (String) r.get(0);
      for (Object k : (List<?>) r.get(1)) out.add((String) k);
    } while (!"0".equals(cursor));
    return out;
  }

  /** Deletes every key under a prefix. */
  public static void deleteAll(String prefix) {
    for (String k : keys(prefix)) command("DEL", k);
  }

  private static Object reply(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IllegalStateException("Redis: " + line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int n = Integer.parseInt(line);
        if (n < 0) return null;
        byte[] data = in.readNBytes(n + 2);
        return new String(data, 0, n, StandardCharsets.UTF_8);
      }
      case '*': {
        int n = Integer.parseInt(line);
        if (n < 0) return null;
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) items.add(reply(in));
        return items;
      }
      default:
        throw new IllegalStateException("unexpected Redis reply type " + (char) type);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        in.read();
        break;
      }
      b.write(c);
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
