package dev.tollgate.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * One Lua script from {@code src/main/resources/redis/}, with the shared helpers of {@code lib.lua}
 * in front. Run by its SHA-1 ({@code EVALSHA}), so a call sends only keys and arguments; a server
 * that does not have the script yet (first call, restart, {@code SCRIPT FLUSH}) answers NOSCRIPT and
 * the call is repeated once with the whole text ({@code EVAL}), which also caches it.
 */
final class LuaScript {

  private final String name;
  private final String text;
  private final String sha;

  private LuaScript(String name, String text) {
    this.name = name;
    this.text = text;
    this.sha = sha1(text);
  }

  static LuaScript load(String name) {
    return new LuaScript(name, resource("lib.lua") + "\n" + resource(name + ".lua"));
  }

  String name() {
    return name;
  }

  Future<Response> run(Function<Request, Future<Response>> send, List<String> keys, List<String> args) {
    return send.apply(request(Command.EVALSHA, sha, keys, args)).recover(e -> {
      if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) return Future.failedFuture(e);
      return send.apply(request(Command.EVAL, text, keys, args));
    });
  }

  /** Loads the script into the server's cache ({@code SCRIPT LOAD}), so that the first call needs no retry. */
  Future<Response> load(Function<Request, Future<Response>> send) {
    return send.apply(Request.cmd(Command.SCRIPT).arg("LOAD").arg(text));
  }

  private static Request request(Command command, String script, List<String> keys, List<String> args) {
    Request r = Request.cmd(command).arg(script).arg(keys.size());
    for (String k : keys) r.arg(k);
    for (String a : args) r.arg(a);
    return r;
  }

  private static String resource(String file) {
    try (InputStream in = LuaScript.class.getResourceAsStream("/redis/" + file)) {
      if (in == null) throw new IllegalStateException("missing resource /redis/" + file);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
