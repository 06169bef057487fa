package dev.tollgate.domain.key;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Making and hashing virtual-key secrets. Secrets start with {@code tg-} so that scanners recognise them. */
public final class KeySecrets {

  public static final String PREFIX = "tg-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeySecrets() {}

  /** A new secret: {@code tg-} followed by 40 hex characters (160 random bits). */
  public static String newSecret() {
    byte[] bytes = new byte[20];
    RANDOM.nextBytes(bytes);
    return PREFIX + HexFormat.of().formatHex(bytes);
  }

  public static String hash(String secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  /** What may be shown of a secret: its first 7 characters and an ellipsis. */
  public static String displayPrefix(String secret) {
    return secret.substring(0, Math.min(7, secret.length())) + "…";
  }
}
