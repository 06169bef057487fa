// Writes the benchmark fixtures in bench/bodies/: OpenAI chat-completion request bodies of fixed sizes,
// the fixed completion and the fixed SSE stream the upstream answers with. Deterministic: running it
// again gives the same bytes, so results stay comparable. Run from the repository root:
//   java bench/tools/MakeBodies.java bench/bodies
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

public class MakeBodies {

  // Support-desk English with some numbers, identifiers and code: what prompts look like to a tokenizer.
  static final String[] WORDS = (
      "the a an and or but if then because so that this these those it its we you they our your their "
          + "customer ticket order invoice refund payment account password login error message screen page "
          + "device printer network server database request response latency budget team project workflow "
          + "agent model token cost report summary answer question issue problem solution step steps please "
          + "help thanks hello hi need want should could would can cannot does doesn't isn't won't didn't "
          + "update install restart configure check verify confirm escalate assign close reopen review "
          + "today yesterday tomorrow morning afternoon evening week month quarter year minutes hours "
          + "urgent high low normal priority status pending resolved open closed waiting blocked "
          + "version v2.3.1 build #4821 id=7f3a9c ERR_CONNECTION_RESET HTTP/1.1 503 404 200 OK JSON YAML "
          + "config.yaml /var/log/app.log user_id order_id getUserById() null undefined true false "
          + "Berlin London Paris Tokyo Monday Tuesday Wednesday Thursday Friday $12.50 EUR40 15% 3x 2026-11-03 "
          + "is are was were be been has have had do did done will shall may might must not no yes very "
          + "more most less least new old first last next previous same other different important possible").split(" ");

  /** Words safe inside an nginx single-quoted string (the fixed answers are served from nginx.conf). */
  static final String[] PLAIN = java.util.Arrays.stream(WORDS).filter(w -> !w.contains("'") && !w.contains("$")).toArray(String[]::new);

  static String sentence(SplittableRandom r) {
    return sentence(r, WORDS);
  }

  static String sentence(SplittableRandom r, String[] words) {
    int n = 6 + r.nextInt(14);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String w = words[r.nextInt(words.length)];
      if (i == 0) w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
      if (i > 0) sb.append(' ');
      sb.append(w);
      if (i < n - 1 && r.nextInt(9) == 0) sb.append(',');
    }
    sb.append(r.nextInt(7) == 0 ? "?" : ".");
    return sb.toString();
  }

  static String text(SplittableRandom r, int chars) {
    return text(r, chars, WORDS);
  }

  static String text(SplittableRandom r, int chars, String[] words) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < chars) {
      if (sb.length() > 0) sb.append(r.nextInt(5) == 0 ? "\n\n" : " ");
      sb.append(sentence(r, words));
    }
    return sb.substring(0, chars).trim();
  }

  static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** A chat body of exactly {@code size} bytes: a system prompt, then user/assistant turns. */
  static String chat(int size, boolean stream, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String system = "You are the support assistant of Acme Printing. Answer briefly, cite the ticket id, and escalate "
        + "anything about refunds above $500 to a human.";
    List<String[]> turns = new ArrayList<>();
    turns.add(new String[] {"system", system});
    String head = "{\"model\":\"bench-model\",\"stream\":" + stream
        + (stream ? ",\"stream_options\":{\"include_usage\":false}" : "")
        + ",\"max_tokens\":256,\"temperature\":0.2,\"user\":\"user-4711\",\"messages\":[";
    String tail = "]}";
    // Fill with turns of ~1.5 KB until the body is nearly full, then pad the last user turn to the exact size.
    while (true) {
      String body = render(head, turns, tail);
      int left = size - body.length();
      if (left < 1600) break;
      turns.add(new String[] {turns.size() % 2 == 1 ? "user" : "assistant", text(r, 1400)});
    }
    if (turns.size() % 2 == 0) turns.add(new String[] {"assistant", "Noted."});
    turns.add(new String[] {"user", ""});
    String[] last = turns.get(turns.size() - 1);
    int missing = size - render(head, turns, tail).length();
    if (missing < 0) throw new IllegalStateException("size " + size + " too small");
    String filler = text(r, missing + 50);
    last[1] = filler.substring(0, missing).replace("\n", " ").replace("\"", "'").replace("\\", "/");
    String body = render(head, turns, tail);
    if (body.getBytes(StandardCharsets.UTF_8).length != size) throw new IllegalStateException("size mismatch " + body.length());
    return body;
  }

  static String render(String head, List<String[]> turns, String tail) {
    StringBuilder sb = new StringBuilder(head);
    for (int i = 0; i < turns.size(); i++) {
      if (i > 0) sb.append(',');
      sb.append("{\"role\":\"").append(turns.get(i)[0]).append("\",\"content\":").append(json(turns.get(i)[1])).append('}');
    }
    return sb.append(tail).toString();
  }

  static final String ID = "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT";
  static final String CHUNK_HEAD = "{\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\",\"choices\":";

  /** A stream the way OpenAI sends it with include_usage: a role chunk, one chunk per token, finish, usage, [DONE]. */
  static String stream(int tokens) {
    SplittableRandom r = new SplittableRandom(11);
    StringBuilder sb = new StringBuilder();
    sb.append("data: ").append(CHUNK_HEAD)
        .append("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    for (int i = 0; i < tokens; i++) {
      String w = (i == 0 ? "" : " ") + PLAIN[r.nextInt(PLAIN.length)];
      sb.append("data: ").append(CHUNK_HEAD).append("[{\"index\":0,\"delta\":{\"content\":").append(json(w))
          .append("},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    }
    sb.append("data: ").append(CHUNK_HEAD).append("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
    sb.append("data: ").append(CHUNK_HEAD).append("[],\"usage\":{\"prompt_tokens\":231,\"completion_tokens\":").append(tokens)
        .append(",\"total_tokens\":").append(231 + tokens)
        .append(",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,"
            + "\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n");
    sb.append("data: [DONE]\n\n");
    return sb.toString();
  }

  static String completion() {
    String content = text(new SplittableRandom(5), 420, PLAIN).replace("\n", " ");
    return "{\"id\":\"" + ID + "\",\"object\":\"chat.completion\",\"created\":1741570283,\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + json(content)
        + ",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":231,\"completion_tokens\":92,\"total_tokens\":323,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,"
        + "\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
        + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\"}";
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "bench/bodies");
    Files.createDirectories(dir);
    write(dir.resolve("chat-600b.json"), chat(600, false, 1));
    write(dir.resolve("chat-1k.json"), chat(1024, false, 2));
    write(dir.resolve("chat-8k.json"), chat(8 * 1024, false, 3));
    write(dir.resolve("chat-64k.json"), chat(64 * 1024, false, 4));
    write(dir.resolve("chat-sse-1k.json"), chat(1024, true, 2));
    write(dir.resolve("completion.json"), completion());
    write(dir.resolve("stream.sse"), stream(100));
  }

  static void write(Path p, String s) throws IOException {
    Files.writeString(p, s, StandardCharsets.UTF_8);
    System.out.println(p + " " + s.getBytes(StandardCharsets.UTF_8).length + " B");
  }
}
