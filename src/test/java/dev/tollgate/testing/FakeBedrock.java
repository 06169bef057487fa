package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local Bedrock runtime ({@code /model/{modelId}/converse} and {@code /converse-stream}) that checks
 * every request's AWS Signature Version 4 the way AWS does (recomputed here from the request as
 * received, independently of the SDK signer the gateway uses) and answers as the Converse reference
 * gives it: a Converse response body, a ConverseStream of AWS event-stream frames (encoded here by
 * hand: prelude, CRC32s, string headers), and errors with {@code x-amzn-ErrorType}. The model id picks
 * the answer:
 *
 * <ul>
 *   <li>any other id — "Hello from Bedrock." with prompt-cache reads and writes in the usage;
 *   <li>{@code tools-model} — a toolUse block for get_weather, stopReason tool_use;
 *   <li>{@code anthropic.claude-thinking-v1:0} — a reasoning block with a signature, then "4";
 *   <li>{@code throttled} — 429 ThrottlingException; {@code stream-exception} — a stream that ends in an exception frame.
 * </ul>
 */
public final class FakeBedrock implements AutoCloseable {

  public static final String ACCESS_KEY = "AKIDEXAMPLE";
  public static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  public static final String REGION = "us-east-1";
  public static final long INPUT = 25;
  public static final long CACHE_READ = 50;
  public static final long CACHE_WRITE = 10;
  public static final long OUTPUT = 8;
  public static final long THINKING_OUTPUT = 40;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String P = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV";

  /** One request as received. */
  public record Received(String path, String modelId, Map<String, String> headers, JsonNode body, boolean signatureValid) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public FakeBedrock() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    server.listen(0, "127.0.0.1").await();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buf -> {
      HttpServerResponse resp = req.response();
      Map<String, String> headers = new LinkedHashMap<>();
      req.headers().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
      byte[] bytes = buf.getBytes();
      String rawPath = req.path();
      boolean valid = signatureValid(req.method().name(), rawPath, headers, bytes);
      JsonNode body;
      try {
        body = JSON.readTree(bytes);
      } catch (Exception e) {
        body = null;
      }
      String[] segments = rawPath.split("/");
      String modelId = segments.length == 4 ? URLDecoder.decode(segments[2], StandardCharsets.UTF_8) : "";
      received.add(new Received(rawPath, modelId, headers, body, valid));
      if (!valid) {
        error(resp, 403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        return;
      }
      if (segments.length != 4 || !segments[1].equals("model") || !(segments[3].equals("converse") || segments[3].equals("converse-stream"))) {
        error(resp, 404, "UnknownOperationException", "");
        return;
      }
      if (body == null || !body.path("messages").isArray()) {
        error(resp, 400, "ValidationException", "1 validation error detected: Value null at 'messages' failed to satisfy constraint");
        return;
      }
      boolean stream = segments[3].equals("converse-stream");
      switch (modelId) {
        case "throttled" -> error(resp, 429, "ThrottlingException", "Too many requests, please wait before trying again.");
        case "stream-exception" -> {
          startStream(resp);
          resp.write(frame("messageStart", "{\"p\":\"" + P + "\",\"role\":\"assistant\"}"));
          resp.write(frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"},\"p\":\"abcd\"}"));
          resp.end(exception("modelStreamErrorException", "The model stream encountered an error."));
        }
        case "tools-model" -> {
          if (!stream) {
            json(resp, "{\"metrics\":{\"latencyMs\":812},\"output\":{\"message\":{\"content\":[{\"text\":\"Checking.\"},"
                + "{\"toolUse\":{\"input\":{\"city\":\"Paris\"},\"name\":\"get_weather\",\"toolUseId\":\"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q\"}}],"
                + "\"role\":\"assistant\"}},\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":" + INPUT + ",\"outputTokens\":30,\"totalTokens\":55}}");
          } else {
            startStream(resp);
            resp.write(frame("messageStart", "{\"p\":\"" + P + "\",\"role\":\"assistant\"}"));
            resp.write(frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Checking.\"},\"p\":\"abcd\"}"));
            resp.write(frame("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcd\"}"));
            resp.write(frame("contentBlockStart", "{\"contentBlockIndex\":1,\"p\":\"abcd\",\"start\":{\"toolUse\":"
                + "{\"name\":\"get_weather\",\"toolUseId\":\"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q\"}}}"));
            resp.write(frame("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\": \"}},\"p\":\"ab\"}"));
            resp.write(frame("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\\\"Paris\\\"}\"}},\"p\":\"ab\"}"));
            resp.write(frame("contentBlockStop", "{\"contentBlockIndex\":1,\"p\":\"abcd\"}"));
            resp.write(frame("messageStop", "{\"p\":\"abcd\",\"stopReason\":\"tool_use\"}"));
            resp.end(frame("metadata", "{\"metrics\":{\"latencyMs\":812},\"p\":\"abcd\",\"usage\":{\"inputTokens\":" + INPUT
                + ",\"outputTokens\":30,\"totalTokens\":55}}"));
          }
        }
        case "anthropic.claude-thinking-v1:0" -> {
          String usage = "{\"inputTokens\":" + INPUT + ",\"outputTokens\":" + THINKING_OUTPUT + ",\"totalTokens\":" + (INPUT + THINKING_OUTPUT) + "}";
          if (!stream) {
            json(resp, "{\"metrics\":{\"latencyMs\":1020},\"output\":{\"message\":{\"content\":[{\"reasoningContent\":{\"reasoningText\":"
                + "{\"text\":\"Two plus two is four.\",\"signature\":\"sig-bedrock\"}}},{\"text\":\"4\"}],\"role\":\"assistant\"}},"
                + "\"stopReason\":\"end_turn\",\"usage\":" + usage + "}");
          } else {
            startStream(resp);
            resp.write(frame("messageStart", "{\"p\":\"" + P + "\",\"role\":\"assistant\"}"));
            resp.write(frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"Two plus two is four.\"}},\"p\":\"ab\"}"));
            resp.write(frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\"sig-bedrock\"}},\"p\":\"ab\"}"));
            resp.write(frame("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcd\"}"));
            resp.write(frame("contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"text\":\"4\"},\"p\":\"ab\"}"));
            resp.write(frame("contentBlockStop", "{\"contentBlockIndex\":1,\"p\":\"abcd\"}"));
            resp.write(frame("messageStop", "{\"p\":\"abcd\",\"stopReason\":\"end_turn\"}"));
            resp.end(frame("metadata", "{\"metrics\":{\"latencyMs\":1020},\"p\":\"abcd\",\"usage\":" + usage + "}"));
          }
        }
        default -> {
          String usage = "{\"cacheReadInputTokens\":" + CACHE_READ + ",\"cacheWriteInputTokens\":" + CACHE_WRITE + ",\"inputTokens\":" + INPUT
              + ",\"outputTokens\":" + OUTPUT + ",\"totalTokens\":" + (INPUT + CACHE_READ + CACHE_WRITE + OUTPUT) + "}";
          if (!stream) {
            json(resp, "{\"metrics\":{\"latencyMs\":417},\"output\":{\"message\":{\"content\":[{\"text\":\"Hello from Bedrock.\"}],"
                + "\"role\":\"assistant\"}},\"stopReason\":\"end_turn\",\"usage\":" + usage + "}");
          } else {
            startStream(resp);
            // Frames split at arbitrary points, as a connection delivers them.
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(frame("messageStart", "{\"p\":\"" + P + "\",\"role\":\"assistant\"}").getBytes());
            for (String t : new String[] {"Hello", " from", " Bedrock."}) {
              all.writeBytes(frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + t + "\"},\"p\":\"abcdef\"}").getBytes());
            }
            all.writeBytes(frame("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefghijk\"}").getBytes());
            all.writeBytes(frame("messageStop", "{\"p\":\"abcdefgh\",\"stopReason\":\"end_turn\"}").getBytes());
            all.writeBytes(frame("metadata", "{\"metrics\":{\"latencyMs\":417},\"p\":\"abc\",\"usage\":" + usage + "}").getBytes());
            byte[] b = all.toByteArray();
            for (int i = 0; i < b.length; i += 50) resp.write(Buffer.buffer(java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + 50))));
            resp.end();
          }
        }
      }
    });
  }

  // ---- SigV4, recomputed as AWS does ----

  private static boolean signatureValid(String method, String rawPath, Map<String, String> headers, byte[] body) {
    String auth = headers.get("authorization");
    String date = headers.get("x-amz-date");
    if (auth == null || date == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) return false;
    Map<String, String> parts = new LinkedHashMap<>();
    for (String p : auth.substring("AWS4-HMAC-SHA256 ".length()).split(",\\s*")) {
      int eq = p.indexOf('=');
      parts.put(p.substring(0, eq), p.substring(eq + 1));
    }
    String[] credential = parts.getOrDefault("Credential", "").split("/");
    if (credential.length != 5 || !credential[0].equals(ACCESS_KEY) || !credential[2].equals(REGION) || !credential[3].equals("bedrock")) {
      return false;
    }
    String signedHeaders = parts.getOrDefault("SignedHeaders", "");
    TreeMap<String, String> canonical = new TreeMap<>();
    for (String h : signedHeaders.split(";")) canonical.put(h, headers.getOrDefault(h, "").trim().replaceAll("\\s+", " "));
    StringBuilder canonicalHeaders = new StringBuilder();
    canonical.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
    String payloadHash = headers.getOrDefault("x-amz-content-sha256", hex(sha256(body)));
    String canonicalRequest = method + "\n" + encodePath(rawPath) + "\n\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
    String scope = credential[1] + "/" + REGION + "/bedrock/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), credential[1]);
    key = hmac(key, REGION);
    key = hmac(key, "bedrock");
    key = hmac(key, "aws4_request");
    return hex(hmac(key, toSign)).equals(parts.get("Signature"));
  }

  /** Every path segment URI-encoded once more, as SigV4 does for services other than S3. */
  private static String encodePath(String rawPath) {
    StringBuilder sb = new StringBuilder();
    for (byte b : rawPath.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
        sb.append(c);
      } else {
        sb.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  // ---- AWS event-stream framing ----

  /** An event frame: prelude (total length, headers length, CRC32), string headers, JSON payload, message CRC32. */
  static Buffer frame(String eventType, String json) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(":event-type", eventType);
    h.put(":content-type", "application/json");
    h.put(":message-type", "event");
    return Buffer.buffer(encode(h, json.getBytes(StandardCharsets.UTF_8)));
  }

  static Buffer exception(String type, String message) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(":exception-type", type);
    h.put(":content-type", "application/json");
    h.put(":message-type", "exception");
    return Buffer.buffer(encode(h, ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] encode(Map<String, String> headers, byte[] payload) {
    ByteArrayOutputStream hs = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : headers.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
      hs.write(name.length);
      hs.writeBytes(name);
      hs.write(7); // string
      hs.write((value.length >> 8) & 0xff);
      hs.write(value.length & 0xff);
      hs.writeBytes(value);
    }
    byte[] headerBytes = hs.toByteArray();
    int total = 12 + headerBytes.length + payload.length + 4;
    ByteBuffer buf = ByteBuffer.allocate(total);
    buf.putInt(total).putInt(headerBytes.length);
    CRC32 prelude = new CRC32();
    prelude.update(buf.array(), 0, 8);
    buf.putInt((int) prelude.getValue());
    buf.put(headerBytes).put(payload);
    CRC32 message = new CRC32();
    message.update(buf.array(), 0, total - 4);
    buf.putInt((int) message.getValue());
    return buf.array();
  }

  private static void startStream(HttpServerResponse resp) {
    resp.setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream")
        .putHeader("x-amzn-requestid", "5a1b8c7e-0000-4000-8000-000000000000");
  }

  private static void json(HttpServerResponse resp, String body) {
    resp.putHeader("content-type", "application/json").putHeader("x-amzn-requestid", "5a1b8c7e-0000-4000-8000-000000000001").end(body);
  }

  private static void error(HttpServerResponse resp, int status, String type, String message) {
    resp.setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("x-amzn-errortype", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
        .end("{\"message\":\"" + message + "\"}");
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
