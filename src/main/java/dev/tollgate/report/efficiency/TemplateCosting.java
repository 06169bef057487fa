package dev.tollgate.report.efficiency;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.CostCalculator;
import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.usage.TokenUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongBiFunction;

/**
 * What one call with a template costs on each model it may use: its prompt tokens counted for that
 * model's tokenizer, plus the template's expected output, at the model's list price.
 */
public final class TemplateCosting {

  /** A model a template could run on, with its price. {@code upstream} picks the tokenizer. */
  public record PricedModel(String name, String upstream, String tier, Price price) {}

  /** One model's figures for a template. */
  public record ModelCost(String model, String tier, long inputTokens, long outputTokens, Money costPerCall) {}

  private TemplateCosting() {}

  /**
   * @param models the models the template's class allows, or every model when it names no class
   * @param promptTokens counts a prompt's tokens for an upstream model id, as the gateway counts them
   * @return cheapest first, then by name
   */
  public static List<ModelCost> costs(PromptTemplate t, List<PricedModel> models, ToLongBiFunction<String, String> promptTokens) {
    List<ModelCost> out = new ArrayList<>();
    for (PricedModel m : models) {
      long input = promptTokens.applyAsLong(m.upstream(), t.body());
      Money cost = CostCalculator.cost(m.price(), TokenUsage.of(input, t.expectedOutputTokens()));
      out.add(new ModelCost(m.name(), m.tier(), input, t.expectedOutputTokens(), cost));
    }
    out.sort(Comparator.comparing(ModelCost::costPerCall).thenComparing(ModelCost::model));
    return out;
  }
}
