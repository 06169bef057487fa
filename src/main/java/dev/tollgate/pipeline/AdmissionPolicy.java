package dev.tollgate.pipeline;

import java.time.Duration;

/**
 * How admission estimates the worst case of a request it cannot know in advance.
 *
 * @param defaultOutputTokens reserved for output when the request sets no {@code max_tokens} and the
 *     model's output limit is unknown
 * @param safetyPercent prompt estimates for models whose tokenizer is not public (anything but
 *     OpenAI's) are raised by this percentage (110 = +10%), since their counts differ from tiktoken's
 * @param holdTtl how long a reservation may stay unsettled before it lapses on its own — longer than
 *     the longest request, so that only a crashed process's holds ever lapse
 */
public record AdmissionPolicy(long defaultOutputTokens, int safetyPercent, Duration holdTtl) {

  public static AdmissionPolicy defaults(Duration requestTimeout) {
    return new AdmissionPolicy(4096, 110, requestTimeout.plusSeconds(60));
  }

  public static AdmissionPolicy of(long defaultOutputTokens, int safetyPercent, Duration requestTimeout) {
    return new AdmissionPolicy(defaultOutputTokens, safetyPercent, requestTimeout.plusSeconds(60));
  }
}
