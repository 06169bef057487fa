package dev.tollgate.report.efficiency;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The prompt template library: checks what is written into it and stamps the time. */
public final class TemplateLibrary {

  /** The same names {@code X-Tollgate-Template} accepts. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  static final int MAX_BODY = 200_000;
  static final int MAX_TEXT = 2_000;
  static final long MAX_OUTPUT_TOKENS = 10_000_000;

  /** What a caller sends; {@code name} and {@code body} are required. */
  public record Draft(String name, String workloadClass, String description, String body, Long expectedOutputTokens) {}

  private final TemplateStore store;
  private final Clock clock;

  public TemplateLibrary(TemplateStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Adds a template.
   *
   * @param classes the workload classes in force; a template may name only one of them
   * @return empty when a template of that name exists already
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public Optional<PromptTemplate> create(Draft d, String createdBy, Set<String> classes) {
    if (d.name() == null || !NAME.matcher(d.name()).matches()) {
      throw new IllegalArgumentException("'name' is required: letters, digits and . _ : - (at most 128), the value "
          + "calls send in X-Tollgate-Template");
    }
    if (d.body() == null || d.body().isBlank()) throw new IllegalArgumentException("'body' is required: the prompt text");
    if (d.body().length() > MAX_BODY) throw new IllegalArgumentException("'body' is longer than " + MAX_BODY + " characters");
    if (d.description() != null && d.description().length() > MAX_TEXT) {
      throw new IllegalArgumentException("'description' is longer than " + MAX_TEXT + " characters");
    }
    if (d.workloadClass() != null && !classes.contains(d.workloadClass())) {
      throw new IllegalArgumentException("unknown workload class '" + d.workloadClass() + "'; classes: "
          + (classes.isEmpty() ? "none" : String.join(", ", classes.stream().sorted().toList())));
    }
    long output = d.expectedOutputTokens() == null ? 0 : d.expectedOutputTokens();
    if (output < 0 || output > MAX_OUTPUT_TOKENS) {
      throw new IllegalArgumentException("'expected_output_tokens' must be between 0 and " + MAX_OUTPUT_TOKENS);
    }
    PromptTemplate t = new PromptTemplate(d.name(), d.workloadClass(), d.description(), d.body(), output, clock.instant(),
        createdBy);
    return store.insert(t) ? Optional.of(t) : Optional.empty();
  }

  public Optional<PromptTemplate> find(String name) {
    return store.find(name);
  }

  public List<PromptTemplate> list() {
    return store.list();
  }

  public boolean delete(String name) {
    return store.delete(name);
  }
}
