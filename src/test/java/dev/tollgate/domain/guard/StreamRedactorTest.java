package dev.tollgate.domain.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * A streamed answer is guarded exactly like the whole answer would be, wherever the stream cuts it:
 * every corpus case, sent in pieces of every size from 1 character up, comes out as the whole-text
 * redaction of it — and the negative corpora come out unchanged.
 */
class StreamRedactorTest {

  static final Scanner SCANNER = Scanner.all();
  static final Redactor REDACTOR = new Redactor(EnumSet.noneOf(FindingType.class));

  static String whole(String text) {
    return REDACTOR.session().redact(text, SCANNER.scan(text));
  }

  static String streamed(String text, int pieceSize) {
    StreamRedactor guard = new StreamRedactor(SCANNER, REDACTOR.session(), false);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i += pieceSize) {
      out.append(guard.push(text.substring(i, Math.min(text.length(), i + pieceSize))).text());
    }
    return out.append(guard.finish().text()).toString();
  }

  static Stream<Arguments> casesAndPieceSizes() {
    List<Arguments> out = new ArrayList<>();
    Stream.concat(Corpus.files("positive-"), Corpus.files("negative-")).forEach(c -> {
      for (int size : new int[] {1, 2, 3, 5, 8, 13, 1000}) out.add(Arguments.of(c, size));
    });
    return out.stream();
  }

  @ParameterizedTest(name = "{0} in pieces of {1}")
  @MethodSource("casesAndPieceSizes")
  void aStreamCutAnywhereIsGuardedLikeTheWholeText(Corpus.Case c, int pieceSize) {
    String padded = "Here you go: " + c.text() + " — anything else?";
    assertThat(streamed(padded, pieceSize)).isEqualTo(whole(padded));
  }

  @Test
  void aKeySplitAcrossPiecesNeverLeavesInAnyPiece() {
    String key = "sk-proj-a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4";
    StreamRedactor guard = new StreamRedactor(SCANNER, REDACTOR.session(), false);
    List<String> released = new ArrayList<>();
    List<FindingType> found = new ArrayList<>();
    for (String piece : List.of("Use the key sk-pr", "oj-a1B2c3D4e5F6g7H8i9J0k1L2m3N4", "o5P6q7R8s9T0u1V2w3X4", " to call it.")) {
      StreamRedactor.Release r = guard.push(piece);
      released.add(r.text());
      found.addAll(r.findings());
    }
    StreamRedactor.Release last = guard.finish();
    released.add(last.text());
    found.addAll(last.findings());

    assertThat(String.join("", released)).isEqualTo("Use the key [API_KEY_1] to call it.");
    assertThat(released).noneMatch(p -> p.contains("sk-pr") || p.contains("a1B2c3D4") || p.contains("o5P6"));
    assertThat(found).containsExactly(FindingType.API_KEY);
  }

  @Test
  void plainProseIsHeldBackByItsLastUnfinishedWordOnly() {
    StreamRedactor guard = new StreamRedactor(SCANNER, REDACTOR.session(), false);
    String prose = "The quarterly report shows steady growth across every region we serve, and the team expects more. ";
    StringBuilder out = new StringBuilder();
    int mostHeld = 0;
    for (int i = 0; i < prose.length(); i += 4) {
      out.append(guard.push(prose.substring(i, Math.min(prose.length(), i + 4))).text());
      mostHeld = Math.max(mostHeld, guard.held());
    }
    assertThat(mostHeld).as("the longest word plus one piece").isLessThanOrEqualTo("quarterly".length() + 4);
    assertThat(out.append(guard.finish().text()).toString()).isEqualTo(prose);
  }

  @Test
  void stoppingReleasesTheTextBeforeTheFindingAndNothingAfter() {
    StreamRedactor guard = new StreamRedactor(SCANNER, REDACTOR.session(), true);
    StringBuilder out = new StringBuilder();
    StreamRedactor.Release r = null;
    for (String piece : List.of("Write to ana.lo", "pez@example.com", " about it. More text follows here.")) {
      r = guard.push(piece);
      out.append(r.text());
      if (r.stopped()) break;
    }
    assertThat(r.stopped()).isTrue();
    assertThat(r.findings()).containsExactly(FindingType.EMAIL);
    assertThat(out.toString()).isEqualTo("Write to ");
    assertThat(guard.push("more").text()).isEmpty();
    assertThat(guard.finish().text()).isEmpty();
  }

  @Test
  void aPrivateKeyBlockIsHeldWholeUntilItsEndLine() {
    StreamRedactor guard = new StreamRedactor(SCANNER, REDACTOR.session(), false);
    StringBuilder out = new StringBuilder();
    String body = "MIIEowIBAAKCAQEAfakefakefake0123456789abcdefghijABCDEFGHIJ\n".repeat(40);
    String text = "Key:\n-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\nDone.";
    for (int i = 0; i < text.length(); i += 7) {
      String released = guard.push(text.substring(i, Math.min(text.length(), i + 7))).text();
      assertThat(released).doesNotContain("MIIE").doesNotContain("BEGIN");
      out.append(released);
    }
    assertThat(out.append(guard.finish().text()).toString()).isEqualTo("Key:\n[PRIVATE_KEY_1]\nDone.");
  }
}
