package dev.tollgate.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads YAML text into a Jackson tree, building the tree itself so that it can report duplicate keys
 * and aliases at their key path, and read every non-integer number as an exact {@link
 * java.math.BigDecimal} (never a double).
 *
 * <p>Why the placeholder step: {@code { token: ${ADMIN_TOKEN} }} is how people write config, but in a
 * YAML flow mapping the braces of {@code ${…}} end the mapping, and a {@code #} or {@code ,} inside a
 * default would end the value. So before parsing, each {@code ${…}} is swapped for a run of
 * private-use characters of the same length (keeping line and column numbers right), and swapped back
 * in every scalar and key afterwards; environment substitution then runs on the restored scalars.
 */
final class YamlTree {

  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Well-formed references only: a malformed one is left for the YAML parser and then reported at its key. */
  private static final Pattern REFERENCE = Pattern.compile("\\$?\\$\\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}\\r\\n]*)?}");
  private static final char OPEN = '\uE000';
  private static final char CLOSE = '\uE001';
  private static final char PAD = '\uE002';
  private static final char FIRST_INDEX = '\uE100';
  private static final int MAX_REFERENCES = '\uF8FF' - FIRST_INDEX;
  private static final Pattern TOKEN = Pattern.compile(OPEN + "([\uE100-\uF8FF])" + PAD + "*" + CLOSE);

  private final ParseContext ctx;
  private final List<String> references = new ArrayList<>();

  private YamlTree(ParseContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The document's root node, or null after recording the errors: an empty file or a syntax error
   * gives exactly one error with its line and column; duplicate keys and aliases one each.
   */
  static JsonNode read(String text, ParseContext ctx) {
    return new YamlTree(ctx).parse(text);
  }

  private JsonNode parse(String text) {
    String protectedText = protect(text);
    if (protectedText == null) return null;
    int before = ctx.errorCount();
    try (JsonParser parser = FACTORY.createParser(protectedText)) {
      if (parser.nextToken() == null) {
        ctx.error("", "the file is empty; see tollgate.example.yaml for a complete, commented example");
        return null;
      }
      JsonNode root = value(parser, "");
      if (parser.nextToken() != null) {
        ctx.error("", "line " + parser.currentTokenLocation().getLineNr()
            + ": the file holds more than one YAML document ('---'); put all settings in one");
      }
      if (root.isNull()) {
        ctx.error("", "the file is empty; see tollgate.example.yaml for a complete, commented example");
        return null;
      }
      return ctx.errorCount() == before ? root : null;
    } catch (JsonProcessingException e) {
      // One syntax error says it all; problems found before it in the same parse are noise.
      ctx.truncateErrors(before);
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      ctx.error("", where + "YAML syntax error: " + problem(e) + hint(text, at));
      return null;
    } catch (IOException e) {
      ctx.error("", "cannot read the YAML: " + e.getMessage());
      return null;
    }
  }

  private JsonNode value(JsonParser p, String path) throws IOException {
    JsonToken token = p.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = restore(p.currentName());
          int line = p.currentTokenLocation().getLineNr();
          p.nextToken();
          String childPath = ParseContext.join(path, key);
          JsonNode child = value(p, childPath);
          if (object.has(key)) {
            ctx.error(childPath, "the key appears twice in the same mapping (again at line " + line
                + "); keep one");
          } else {
            object.set(key, child);
          }
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) array.add(value(p, ParseContext.index(path, array.size())));
        return array;
      }
      case VALUE_STRING -> {
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
          ctx.error(path, "YAML aliases (*" + p.getText() + ") are not supported; repeat the value instead");
          return NODES.nullNode();
        }
        return NODES.textNode(restore(p.getText()));
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? NODES.numberNode(p.getBigIntegerValue())
            : NODES.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDecimalValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> {
        ctx.error(path, "unsupported YAML value (" + token + "); use text, numbers, lists and mappings");
        return NODES.nullNode();
      }
    }
  }

  /** Swaps every {@code ${…}} and {@code $${…}} for a same-length private-use token. */
  private String protect(String text) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      if (references.size() >= MAX_REFERENCES) {
        ctx.error("", "too many ${…} references (more than " + MAX_REFERENCES + ")");
        return null;
      }
      String original = m.group();
      StringBuilder token = new StringBuilder().append(OPEN).append((char) (FIRST_INDEX + references.size()));
      while (token.length() < original.length() - 1) token.append(PAD);
      token.append(CLOSE);
      references.add(original);
      m.appendReplacement(out, Matcher.quoteReplacement(token.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String restore(String s) {
    if (s == null || references.isEmpty() || s.indexOf(OPEN) < 0) return s;
    return TOKEN.matcher(s).replaceAll(r -> Matcher.quoteReplacement(references.get(r.group(1).charAt(0) - FIRST_INDEX)));
  }

  /** A malformed {@code ${…}} is not protected, and inside { } its braces break the YAML: say so. */
  private static String hint(String text, JsonLocation at) {
    if (at == null || at.getLineNr() < 1) return "";
    String line = text.lines().skip(at.getLineNr() - 1).findFirst().orElse("");
    return line.contains("${")
        ? " (this line has a ${…} reference: write it as ${NAME} or ${NAME:-default}, or quote the value)"
        : "";
  }

  /** SnakeYAML's multi-line message without its source excerpts, on one line. */
  private String problem(JsonProcessingException e) {
    String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    String text = original.lines()
        .filter(line -> !line.isBlank() && !line.startsWith(" in ") && !line.startsWith("    "))
        .map(String::strip)
        .collect(Collectors.joining(": "));
    return restore(text).replace("\t", "\\t");
  }
}
