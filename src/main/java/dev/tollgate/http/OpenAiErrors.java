package dev.tollgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.pipeline.GatewayError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Renders a {@link GatewayError} in OpenAI's error shape: {@code {"error":{"message","type","param","code",…}}}. */
public final class OpenAiErrors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiErrors() {}

  public static byte[] body(GatewayError error, String requestId) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("message", error.message());
    err.put("type", error.kind().type());
    err.putNull("param");
    err.put("code", error.kind().code());
    for (Map.Entry<String, Object> e : error.details().entrySet()) {
      Object v = e.getValue();
      if (v instanceof Number n) err.put(e.getKey(), n.longValue());
      else if (v instanceof List<?> list) {
        var arr = err.putArray(e.getKey());
        list.forEach(item -> arr.add(String.valueOf(item)));
      } else err.put(e.getKey(), String.valueOf(v));
    }
    if (requestId != null) err.put("request_id", requestId);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
