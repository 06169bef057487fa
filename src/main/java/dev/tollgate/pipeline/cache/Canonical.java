package dev.tollgate.pipeline.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A JSON value fed into a SHA-256 digest in one canonical form: object fields sorted by name, numbers
 * by value ({@code 0.70} and {@code 0.7} are the same), every string length-prefixed so that no two
 * different values can write the same bytes. Two requests that differ only in field order or number
 * spelling therefore hash the same.
 */
final class Canonical {

  private Canonical() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Feeds {@code node} into {@code digest}; top-level fields named in {@code skip} are left out. */
  static void feed(MessageDigest digest, JsonNode node, Set<String> skip) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      digest.update((byte) 'n');
    } else if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      digest.update((byte) '{');
      for (String name : names) {
        if (skip.contains(name)) continue;
        text(digest, name);
        feed(digest, node.get(name), Set.of());
      }
      digest.update((byte) '}');
    } else if (node.isArray()) {
      digest.update((byte) '[');
      for (JsonNode e : node) feed(digest, e, Set.of());
      digest.update((byte) ']');
    } else if (node.isNumber()) {
      digest.update((byte) '#');
      BigDecimal d = node.decimalValue();
      text(digest, d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
    } else if (node.isBoolean()) {
      digest.update((byte) (node.booleanValue() ? 't' : 'f'));
    } else {
      digest.update((byte) '"');
      text(digest, node.asText());
    }
  }

  static void text(MessageDigest digest, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    digest.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    digest.update(b);
  }

  /** The first {@code bytes} bytes of the digest in lower-case hex. */
  static String hex(byte[] digest, int bytes) {
    return HexFormat.of().formatHex(digest, 0, bytes);
  }
}
