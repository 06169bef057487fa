package dev.tollgate.pipeline.meter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the client receives from a metered stream, and what the meter learns, however the bytes arrive. */
class StreamMeterTest {

  static final String ROLE = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n";
  static final String HELLO = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Héllo\"},\"finish_reason\":null}]}\n\n";
  static final String WORLD = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\", wörld 🙂\"},\"finish_reason\":null}]}\n\n";
  static final String TOOL = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":1}\"}}]}}]}\n\n";
  static final String FINISH = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
  static final String USAGE = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,\"prompt_tokens_details\":{\"cached_tokens\":4}}}\n\n";
  static final String DONE = "data: [DONE]\n\n";
  static final String KEEPALIVE = ": keep-alive\n\n";

  static final String STREAM = ROLE + HELLO + KEEPALIVE + WORLD + TOOL + FINISH + USAGE + DONE;
  static final String WITHOUT_USAGE = ROLE + HELLO + KEEPALIVE + WORLD + TOOL + FINISH + DONE;

  record Fed(String forwarded, StreamMeter meter) {}

  static Fed feed(StreamMeter meter, byte[] stream, int... cuts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int from = 0;
    for (int cut : cuts) {
      out.writeBytes(meter.accept(Arrays.copyOfRange(stream, from, cut)));
      from = cut;
    }
    out.writeBytes(meter.accept(Arrays.copyOfRange(stream, from, stream.length)));
    out.writeBytes(meter.remainder());
    return new Fed(out.toString(StandardCharsets.UTF_8), meter);
  }

  @Test
  void wholeEventsGoThroughUnchangedAndTheUsageChunkIsDropped() {
    Fed fed = feed(new StreamMeter(false), bytes(STREAM));
    assertThat(fed.forwarded()).isEqualTo(WITHOUT_USAGE);
    assertThat(fed.meter().reportedUsage().inputTokens()).isEqualTo(12);
    assertThat(fed.meter().reportedUsage().cachedInputTokens()).isEqualTo(4);
    assertThat(fed.meter().reportedUsage().outputTokens()).isEqualTo(5);
    assertThat(fed.meter().generatedText()).isEqualTo("Héllo, wörld 🙂lookup{\"q\":1}");
    assertThat(fed.meter().done()).isTrue();
    assertThat(fed.meter().sawContent()).isTrue();
    assertThat(fed.meter().model()).isEqualTo("gpt-4o");
    assertThat(fed.meter().finishReasons()).containsExactly("stop");
  }

  @Test
  void theUsageChunkIsKeptWhenTheClientAskedForIt() {
    assertThat(feed(new StreamMeter(true), bytes(STREAM)).forwarded()).isEqualTo(STREAM);
  }

  @Test
  void everyCutOfTheStreamGivesTheSameBytesAndTheSameUsage() {
    byte[] stream = bytes(STREAM);
    for (int cut = 1; cut < stream.length; cut++) {
      Fed fed = feed(new StreamMeter(false), stream, cut);
      assertThat(fed.forwarded()).as("cut at %d", cut).isEqualTo(WITHOUT_USAGE);
      assertThat(fed.meter().reportedUsage().outputTokens()).isEqualTo(5);
      assertThat(fed.meter().generatedText()).isEqualTo("Héllo, wörld 🙂lookup{\"q\":1}");
    }
  }

  @Test
  void byteByByteGivesTheSameBytes() {
    byte[] stream = bytes(STREAM);
    int[] cuts = new int[stream.length - 1];
    for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
    Fed fed = feed(new StreamMeter(false), stream, cuts);
    assertThat(fed.forwarded()).isEqualTo(WITHOUT_USAGE);
    assertThat(fed.meter().done()).isTrue();
  }

  @Test
  void aReadOfWholeEventsIsForwardedWithoutACopy() {
    StreamMeter meter = new StreamMeter(false);
    byte[] read = bytes(ROLE + HELLO);
    assertThat(meter.accept(read)).isSameAs(read);
  }

  @Test
  void crlfLineEndsAndSeveralDataLinesAreRead() {
    String crlf = HELLO.replace("\n\n", "\r\n\r\n");
    String split = "data: {\"id\":\"c1\",\"choices\":[],\n" + "data: \"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n";
    Fed fed = feed(new StreamMeter(true), bytes(crlf + split + DONE));
    assertThat(fed.forwarded()).isEqualTo(crlf + split + DONE);
    assertThat(fed.meter().generatedText()).isEqualTo("Héllo");
    assertThat(fed.meter().reportedUsage().inputTokens()).isEqualTo(3);
    assertThat(fed.meter().done()).isTrue();
  }

  @Test
  void dataThatIsNotJsonIsPassedOnAndTeachesNothing() {
    String broken = "data: {\"choices\":[{\"delta\":{\"content\":\"lost\"}}], \"usage\": {\"prompt_tokens\": 9\n\n";
    Fed fed = feed(new StreamMeter(false), bytes(broken + "data: not json at all\n\n" + HELLO));
    assertThat(fed.forwarded()).isEqualTo(broken + "data: not json at all\n\n" + HELLO);
    assertThat(fed.meter().generatedText()).isEqualTo("Héllo");
    assertThat(fed.meter().reportedUsage()).isNull();
  }

  @Test
  void aRoleOnlyStartIsNotContentYet() {
    StreamMeter meter = new StreamMeter(false);
    meter.accept(bytes(ROLE));
    assertThat(meter.sawContent()).isFalse();
    meter.accept(bytes(HELLO));
    assertThat(meter.sawContent()).isTrue();
  }

  @Test
  void aResponsesApiStreamIsRelayedAndItsUsageRead() {
    List<String> events = List.of(
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r1\"}}\n\n",
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi there\"}\n\n",
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r1\",\"usage\":{\"input_tokens\":7,\"output_tokens\":2,\"output_tokens_details\":{\"reasoning_tokens\":1}}}}\n\n");
    String stream = String.join("", events);
    Fed fed = feed(new StreamMeter(false), bytes(stream), 40, 170);
    assertThat(fed.forwarded()).isEqualTo(stream);
    assertThat(fed.meter().generatedText()).isEqualTo("Hi there");
    assertThat(fed.meter().reportedUsage().inputTokens()).isEqualTo(7);
    assertThat(fed.meter().reportedUsage().reasoningTokens()).isEqualTo(1);
    assertThat(fed.meter().done()).isTrue();
  }

  @Test
  void anUnfinishedLastEventComesBackAsTheRemainder() {
    StreamMeter meter = new StreamMeter(false);
    assertThat(new String(meter.accept(bytes(HELLO + "data: {\"id\":")), StandardCharsets.UTF_8)).isEqualTo(HELLO);
    assertThat(new String(meter.remainder(), StandardCharsets.UTF_8)).isEqualTo("data: {\"id\":");
    assertThat(meter.remainder()).isEmpty();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theUsageOfAWholeAnswerIsFoundWithoutReadingTheRest() throws Exception {
    String answer = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"usage: none\"}}],\"usage\":{\"prompt_tokens\":8,"
        + "\"completion_tokens\":3,\"completion_tokens_details\":{\"reasoning_tokens\":2}},\"system_fingerprint\":null}";
    var facts = AnswerFacts.read(bytes(answer));
    assertThat(facts.usage().inputTokens()).isEqualTo(8);
    assertThat(facts.usage().reasoningTokens()).isEqualTo(2);
    assertThat(facts.model()).isNull();
    assertThat(AnswerFacts.read(bytes("{\"id\":\"x\"}")).usage()).isNull();
    var named = AnswerFacts.read(bytes("{\"model\":\"gpt-4o\",\"choices\":[{\"finish_reason\":\"stop\",\"message\":{}},"
        + "{\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":1}}"));
    assertThat(named.model()).isEqualTo("gpt-4o");
    assertThat(named.finishReasons()).containsExactly("stop", "length");
    assertThat(AnswerFacts.read(bytes("{\"object\":\"response\",\"status\":\"incomplete\",\"output\":[]}")).finishReasons())
        .containsExactly("incomplete");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AnswerFacts.read(bytes(answer.substring(0, answer.length() - 5))))
        .isInstanceOf(java.io.IOException.class);
  }
}
