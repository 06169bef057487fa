package dev.tollgate.domain.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The corpora under {@code src/test/resources/guard/}: one case per line, {@code # } comment lines,
 * {@code \n} and {@code \\} escapes, and «…» around each expected finding in the positive files.
 */
final class Corpus {

  /** One line of a corpus: where it came from, its text, and the findings it must give. */
  record Case(String file, int line, String text, List<Finding> expected) {
    @Override
    public String toString() {
      return file + ":" + line;
    }
  }

  private Corpus() {}

  static Stream<Case> files(String prefix) {
    try {
      URL dir = Corpus.class.getClassLoader().getResource("guard");
      if (dir == null) throw new IllegalStateException("no guard corpora on the test class path");
      List<Path> paths;
      try (Stream<Path> list = Files.list(Path.of(dir.toURI()))) {
        paths = list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
      }
      if (paths.isEmpty()) throw new IllegalStateException("no corpus " + prefix + "*.txt");
      return paths.stream().flatMap(Corpus::cases);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The type a positive file is about, from its name: {@code positive-payment_card.txt}. */
  static FindingType typeOf(String file) {
    String wire = file.substring(file.indexOf('-') + 1, file.lastIndexOf('.'));
    return FindingType.fromWire(wire).orElseThrow(() -> new IllegalStateException("no type " + wire));
  }

  private static Stream<Case> cases(Path path) {
    String file = path.getFileName().toString();
    FindingType type = file.startsWith("positive-") ? typeOf(file) : null;
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i);
      if (raw.isBlank() || raw.startsWith("# ") || raw.equals("#")) continue;
      cases.add(parse(file, i + 1, unescape(raw), type));
    }
    return cases.stream();
  }

  private static Case parse(String file, int line, String marked, FindingType type) {
    StringBuilder text = new StringBuilder();
    List<Finding> expected = new ArrayList<>();
    int open = -1;
    for (int i = 0; i < marked.length(); i++) {
      char c = marked.charAt(i);
      if (c == '«') {
        open = text.length();
      } else if (c == '»') {
        expected.add(new Finding(type, open, text.length()));
        open = -1;
      } else {
        text.append(c);
      }
    }
    if (type != null && expected.isEmpty()) throw new IllegalStateException(file + ":" + line + " marks no finding");
    return new Case(file, line, text.toString(), expected);
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 'n' || s.charAt(i + 1) == '\\')) {
        b.append(s.charAt(++i) == 'n' ? '\n' : '\\');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
