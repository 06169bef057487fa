package dev.tollgate.provider.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.ProviderConfig;
import dev.tollgate.config.SimulatorConfig;
import dev.tollgate.port.ProviderAdapter;
import dev.tollgate.port.TokenCounter;
import dev.tollgate.provider.openai.OpenAiPaths;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider that needs no network and no key: deterministic fake completions in the OpenAI wire
 * format (and embeddings, {@link SimulatedEmbeddings}, and Responses API answers, {@link SimulatedResponses}), with configurable latency, time to first token, tokens per second, output length and
 * error rate. The demo and the benchmarks run on it. The same prompt and settings always give the
 * same text; usage is exact (each generated word is one token in both of OpenAI's encodings).
 */
public final class SimulatorAdapter implements ProviderAdapter {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Common English words that are a single token (with their leading space) in cl100k and o200k. */
  private static final String[] WORDS = {
      " the", " budget", " team", " model", " cost", " data", " report", " value", " time", " work",
      " plan", " result", " customer", " answer", " question", " system", " request", " change", " review", " summary",
      " is", " and", " of", " to", " for", " with", " this", " that", " on", " in"};

  private final Vertx vertx;
  private final ProviderConfig config;
  private final SimulatorConfig sim;
  private final TokenCounter tokens;
  private final AtomicLong calls = new AtomicLong();
  private final SimulatedEmbeddings embeddings;
  private final SimulatedResponses responses;

  public SimulatorAdapter(Vertx vertx, ProviderConfig config, TokenCounter tokens) {
    this.vertx = vertx;
    this.config = config;
    this.sim = config.simulator() == null ? SimulatorConfig.defaults() : config.simulator();
    this.tokens = tokens;
    this.embeddings = new SimulatedEmbeddings(tokens, sim.seed());
    this.responses = new SimulatedResponses(tokens);
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public String type() {
    return "simulator";
  }

  @Override
  public CallHandle call(ProviderRequest request, ResponseSink sink) {
    JsonNode body;
    try {
      body = JSON.readTree(request.body());
    } catch (IOException e) {
      return reply(sink, 400, error("The simulator could not read the request body.", "invalid_request_error"), 0);
    }
    long callNo = calls.incrementAndGet();
    String model = body.path("model").asText("simulated");
    if (!serves(request.path())) {
      return reply(sink, 404, error("The simulator does not serve " + request.path() + ".", "invalid_request_error"), 0);
    }
    if (sim.errorRate() > 0 && new SplittableRandom(sim.seed() * 31 + callNo).nextDouble() < sim.errorRate()) {
      return reply(sink, 500, error("The simulator failed this call on purpose (error_rate " + sim.errorRate() + ").", "server_error"),
          sim.latency().toMillis());
    }
    if (OpenAiPaths.EMBEDDINGS.equals(request.path())) {
      return reply(sink, 200, embeddings.answer(body), sim.latency().toMillis() + sim.ttft().toMillis());
    }
    if (OpenAiPaths.RESPONSES.equals(request.path())) return respond(request, body, model, callNo, sink);
    String prompt = promptText(body);
    long promptTokens = promptTokens(model, body);
    int maxTokens = body.path("max_completion_tokens").asInt(body.path("max_tokens").asInt(Integer.MAX_VALUE));
    int outputTokens = Math.max(0, Math.min(sim.outputTokens(), maxTokens));
    String[] words = words(prompt, outputTokens);
    String id = "chatcmpl-sim" + Long.toHexString(sim.seed() ^ prompt.hashCode() ^ callNo);
    if (!request.stream()) {
      long delay = sim.latency().toMillis() + sim.ttft().toMillis() + generationMillis(outputTokens);
      return reply(sink, 200, completion(id, model, String.join("", words).trim(), promptTokens, outputTokens), delay);
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    Stream stream = new Stream(sink, id, model, words, promptTokens, includeUsage);
    stream.schedule(Math.max(1, sim.latency().toMillis() + sim.ttft().toMillis()), stream::begin);
    return stream;
  }

  /** Chat completions, embeddings and the Responses API, like an OpenAI-family provider. */
  @Override
  public boolean serves(String path) {
    return OpenAiPaths.SERVED.contains(path);
  }

  @Override
  public void close() {}

  /** A Responses API call: the whole response, or its events one per word at the configured pace. */
  private CallHandle respond(ProviderRequest request, JsonNode body, String model, long callNo, ResponseSink sink) {
    String prompt = SimulatedResponses.promptText(body);
    int max = body.path("max_output_tokens").asInt(Integer.MAX_VALUE);
    String[] words = words(prompt, Math.max(0, Math.min(sim.outputTokens(), max)));
    long inputTokens = responses.inputTokens(model, body);
    String id = "resp_sim" + Long.toHexString(sim.seed() ^ prompt.hashCode() ^ callNo);
    long delay = sim.latency().toMillis() + sim.ttft().toMillis();
    if (!request.stream()) {
      return reply(sink, 200, responses.whole(id, model, body, words, inputTokens), delay + generationMillis(words.length));
    }
    Events events = new Events(sink, responses.events(id, model, body, words, inputTokens));
    events.schedule(delay, events::begin);
    return events;
  }

  @Override
  public dev.tollgate.domain.resilience.CallPolicy callPolicy() {
    return new dev.tollgate.domain.resilience.CallPolicy(config.retries(), config.breaker(), config.timeout());
  }

  private long generationMillis(int outputTokens) {
    return sim.tokensPerSecond() <= 0 ? 0 : (long) (outputTokens * 1000 / sim.tokensPerSecond());
  }

  private String[] words(String prompt, int n) {
    SplittableRandom random = new SplittableRandom(sim.seed() ^ prompt.hashCode());
    String[] out = new String[n];
    for (int i = 0; i < n; i++) out[i] = WORDS[random.nextInt(WORDS.length)];
    if (n > 0) out[0] = out[0].trim().isEmpty() ? out[0] : capitalise(out[0].trim());
    return out;
  }

  private static String capitalise(String w) {
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }

  private long promptTokens(String model, JsonNode body) {
    long total = 3;
    for (JsonNode m : body.path("messages")) {
      total += 3 + tokens.count(model, m.path("role").asText(""));
      JsonNode content = m.get("content");
      if (content != null && content.isTextual()) total += tokens.count(model, content.asText());
      else if (content != null && content.isArray()) {
        for (JsonNode part : content) if (part.path("text").isTextual()) total += tokens.count(model, part.get("text").asText());
      }
    }
    return total;
  }

  private static String promptText(JsonNode body) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode m : body.path("messages")) sb.append(m.path("content").toString()).append('\n');
    return sb.toString();
  }

  private CallHandle reply(ResponseSink sink, int status, byte[] body, long delayMs) {
    Stream handle = new Stream(sink, null, null, new String[0], 0, false);
    handle.schedule(Math.max(1, delayMs), () -> {
      sink.onHead(status, Map.of("content-type", "application/json"));
      sink.onData(body);
      sink.onEnd();
    });
    return handle;
  }

  private static byte[] error(String message, String type) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("message", message);
    err.put("type", type);
    err.putNull("param");
    err.putNull("code");
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] completion(String id, String model, String text, long promptTokens, long outputTokens) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", id).put("object", "chat.completion").put("created", 1_760_000_000L).put("model", model);
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", text);
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    usage(root, promptTokens, outputTokens);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void usage(ObjectNode root, long promptTokens, long outputTokens) {
    root.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", outputTokens)
        .put("total_tokens", promptTokens + outputTokens);
  }

  /** Ready-made SSE events sent in order, one per tick of tokens_per_second (all at once without a pace). */
  private final class Events implements CallHandle {
    private final ResponseSink sink;
    private final java.util.List<byte[]> events;
    private int next;
    private long timer = -1;
    private boolean paused;
    private boolean cancelled;
    private boolean waiting;

    Events(ResponseSink sink, java.util.List<byte[]> events) {
      this.sink = sink;
      this.events = events;
    }

    void schedule(long delayMs, Runnable action) {
      timer = vertx.setTimer(Math.max(1, delayMs), t -> {
        if (!cancelled) action.run();
      });
    }

    void begin() {
      sink.onHead(200, Map.of("content-type", "text/event-stream"));
      emit();
    }

    private void emit() {
      long perEvent = sim.tokensPerSecond() <= 0 ? 0 : (long) (1000 / sim.tokensPerSecond());
      while (!cancelled && !paused && next < events.size()) {
        sink.onData(events.get(next++));
        if (perEvent > 0 && next < events.size()) {
          waiting = true;
          schedule(perEvent, () -> {
            waiting = false;
            emit();
          });
          return;
        }
      }
      if (!cancelled && !paused && next == events.size()) {
        next++;
        sink.onEnd();
      }
    }

    @Override
    public void pause() {
      paused = true;
    }

    @Override
    public void resume() {
      if (!paused) return;
      paused = false;
      if (!waiting) emit();
    }

    @Override
    public void cancel() {
      cancelled = true;
      vertx.cancelTimer(timer);
    }
  }

  /** A streamed reply in progress: one chunk per word, paced by tokens_per_second. */
  private final class Stream implements CallHandle {
    private final ResponseSink sink;
    private final String id;
    private final String model;
    private final String[] words;
    private final long promptTokens;
    private final boolean includeUsage;
    private int next;
    private long timer = -1;
    private boolean paused;
    private boolean cancelled;
    private boolean waiting;

    Stream(ResponseSink sink, String id, String model, String[] words, long promptTokens, boolean includeUsage) {
      this.sink = sink;
      this.id = id;
      this.model = model;
      this.words = words;
      this.promptTokens = promptTokens;
      this.includeUsage = includeUsage;
    }

    void schedule(long delayMs, Runnable action) {
      timer = vertx.setTimer(Math.max(1, delayMs), t -> {
        if (!cancelled) action.run();
      });
    }

    void begin() {
      sink.onHead(200, Map.of("content-type", "text/event-stream"));
      ObjectNode first = chunk();
      first.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
          .putObject("delta").put("role", "assistant").put("content", "");
      send(first);
      emit();
    }

    /** Sends words until paused or done; with a pace, one word per timer tick. */
    private void emit() {
      long perToken = sim.tokensPerSecond() <= 0 ? 0 : (long) (1000 / sim.tokensPerSecond());
      while (!cancelled && !paused && next < words.length) {
        ObjectNode c = chunk();
        c.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
            .putObject("delta").put("content", words[next++]);
        send(c);
        if (perToken > 0 && next < words.length) {
          waiting = true;
          schedule(perToken, () -> {
            waiting = false;
            emit();
          });
          return;
        }
      }
      if (!cancelled && !paused && next >= words.length) finish();
    }

    private void finish() {
      ObjectNode last = chunk();
      last.withArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("delta");
      send(last);
      if (includeUsage) {
        ObjectNode u = chunk();
        u.putArray("choices");
        usage(u, promptTokens, words.length);
        send(u);
      }
      sink.onData("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      sink.onEnd();
      next = Integer.MAX_VALUE;
    }

    private ObjectNode chunk() {
      ObjectNode c = JSON.createObjectNode();
      c.put("id", id).put("object", "chat.completion.chunk").put("created", 1_760_000_000L).put("model", model);
      return c;
    }

    private void send(ObjectNode chunk) {
      sink.onData(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void pause() {
      paused = true;
    }

    @Override
    public void resume() {
      if (!paused) return;
      paused = false;
      if (!waiting && next <= words.length && next != Integer.MAX_VALUE) emit();
    }

    @Override
    public void cancel() {
      cancelled = true;
      vertx.cancelTimer(timer);
    }
  }
}
