package dev.tollgate.report.focus;

import dev.tollgate.domain.pricing.Price;
import dev.tollgate.domain.pricing.Rates;
import dev.tollgate.domain.contract.Contract;
import dev.tollgate.report.Allocation;
import dev.tollgate.report.ContractedCosts;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns ledger usage into FOCUS 1.2 Cost and Usage rows: one row per SKU price, charge period
 * (UTC day) and attribution, with separate SKUs for input, cache-read, cache-write, output and
 * reasoning tokens of each model.
 *
 * <p>The kinds of cost a row carries:
 * <ul>
 *   <li><b>List</b> (ListUnitPrice, ListCost): the price in force now, per million tokens, times
 *       PricingQuantity = tokens / 1,000,000 — an exact decimal product, as FOCUS requires.</li>
 *   <li><b>Contracted</b> (ContractedUnitPrice, ContractedCost): the list price less a negotiated
 *       contract's discount; equal to list without one (and for self-hosted terms).</li>
 *   <li><b>Billed</b> (BilledCost, EffectiveCost): the ledger's own cost — or, under a contract, the
 *       effective cost {@link ContractedCosts} gives it (allowance, drawdown, overage) — split over a
 *       group's token kinds in proportion to their list cost by largest remainder, so the BilledCost of
 *       the file adds up to the ledger total (or the contracts' effective total), to the nano-dollar.</li>
 * </ul>
 * A model with no price anywhere gets list prices of zero and a warning; its billed cost still counts.
 */
public final class FocusExporter {

  static final DateTimeFormatter DATE_TIME_TEXT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  static final String TAG_PREFIX = "tollgate/";

  /**
   * Who the export is for: the org's name and each team's cost center (both go into Tags), and the
   * contracts that turn list prices into contracted and effective ones for the UTC days
   * {@code firstDay <= day < endDay} (commitments and allowances are prorated to the days exported).
   */
  public record Context(String org, Map<String, String> costCenters, List<Contract> contracts, LocalDate firstDay,
      LocalDate endDay) {
    public Context {
      costCenters = costCenters == null ? Map.of() : Map.copyOf(costCenters);
      contracts = contracts == null ? List.of() : List.copyOf(contracts);
      if (!contracts.isEmpty() && (firstDay == null || endDay == null)) {
        throw new IllegalArgumentException("contracts are applied over a range of days: give firstDay and endDay");
      }
    }

    /** Without contracts: contracted and effective costs are the list and ledger costs. */
    public Context(String org, Map<String, String> costCenters) {
      this(org, costCenters, List.of(), null, null);
    }
  }

  /**
   * The rows, the sums they must reconcile to, and what could not be priced. {@code billedCostNanos} is
   * the rows' BilledCost (= EffectiveCost) total: the ledger total without contracts, else
   * {@code effectiveCostNanos} of the contracts applied; {@code shortfallNanos} (unused commitments, idle
   * self-hosted capacity) has no row.
   */
  public record Result(List<FocusRow> rows, long ledgerCostNanos, long billedCostNanos, List<String> warnings,
      long shortfallNanos) {

    public Result(List<FocusRow> rows, long ledgerCostNanos, long billedCostNanos, List<String> warnings) {
      this(rows, ledgerCostNanos, billedCostNanos, warnings, 0);
    }
  }

  private FocusExporter() {}

  public static Result export(List<SkuUsage> usage, ModelPricing pricing, Context context) {
    long[] thresholds = pricing.thresholds();
    Map<RowKey, long[]> sums = new LinkedHashMap<>(); // tokens, billed nanos
    Map<RowKey, Sku> skus = new LinkedHashMap<>();
    TreeSet<String> unpriced = new TreeSet<>();
    ContractedCosts.Applied applied = context.contracts().isEmpty() ? null
        : ContractedCosts.apply(usage, pricing, context.contracts(), context.firstDay(), context.endDay());
    long ledger = 0;
    for (int index = 0; index < usage.size(); index++) {
      SkuUsage u = usage.get(index);
      ContractedCosts.Line contracted = applied == null ? null : applied.lines().get(index);
      long effective = contracted == null ? u.costNanos() : contracted.effectiveNanos();
      Contract contract = contracted == null ? null : contracted.contract();
      ledger = Math.addExact(ledger, u.costNanos());
      var resolved = pricing.resolve(u.requestedModel(), u.servedModel(), u.provider());
      String model = resolved.map(ModelPricing.Priced::model)
          .orElse(u.servedModel() != null ? u.servedModel() : Objects.requireNonNullElse(u.requestedModel(), "unknown"));
      if (resolved.isEmpty()) unpriced.add(model);
      String account = resolved.map(ModelPricing.Priced::account).orElse(u.provider());
      String type = resolved.map(ModelPricing.Priced::providerType).orElse(u.provider());
      Price price = resolved.map(ModelPricing.Priced::price).orElse(null);
      int tier = price == null ? -1 : ModelPricing.tierIndex(price, u.tierBucket(), thresholds);
      Rates rates = price == null ? new Rates(0, 0, 0, 0, 0) : tier < 0 ? price.base() : price.tiers().get(tier).rates();
      String tierName = tier < 0 ? "base" : "above-" + price.tiers().get(tier).aboveInputTokens() + "-input-tokens";
      String tags = tags(u, context);

      List<TokenKind> kinds = new ArrayList<>();
      List<BigInteger> listWeights = new ArrayList<>();
      List<BigInteger> tokenWeights = new ArrayList<>();
      BigInteger listSum = BigInteger.ZERO;
      for (TokenKind k : TokenKind.values()) {
        long tokens = k.tokens(u);
        if (tokens == 0) continue;
        kinds.add(k);
        BigInteger w = BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(k.rate(rates)));
        listWeights.add(w);
        tokenWeights.add(BigInteger.valueOf(tokens));
        listSum = listSum.add(w);
      }
      if (kinds.isEmpty()) {
        if (u.costNanos() == 0 && effective == 0) continue;
        kinds.add(TokenKind.INPUT); // cost without tokens: keep it, so the file still reconciles
        listWeights.add(BigInteger.ZERO);
        tokenWeights.add(BigInteger.ZERO);
      }
      long[] billed = Allocation.largestRemainder(effective,
          (listSum.signum() > 0 ? listWeights : tokenWeights).toArray(BigInteger[]::new));
      for (int i = 0; i < kinds.size(); i++) {
        TokenKind k = kinds.get(i);
        RowKey key = new RowKey(u.day(), model, tierName, k, account, type, tags);
        skus.putIfAbsent(key, new Sku(k.rate(rates), contractedFactor(contract), u.servedModel()));
        long[] s = sums.computeIfAbsent(key, x -> new long[2]);
        s[0] = Math.addExact(s[0], k.tokens(u));
        s[1] = Math.addExact(s[1], billed[i]);
      }
    }
    List<FocusRow> rows = new ArrayList<>(sums.size());
    long billedTotal = 0;
    for (var e : sums.entrySet()) {
      rows.add(row(e.getKey(), skus.get(e.getKey()), e.getValue()[0], e.getValue()[1], context));
      billedTotal = Math.addExact(billedTotal, e.getValue()[1]);
    }
    List<String> warnings = unpriced.isEmpty() ? List.of() : List.of("no price is known for " + String.join(", ", unpriced)
        + "; their rows carry list prices of 0 and the ledger's cost as billed and effective cost");
    long shortfall = applied == null ? 0 : applied.shortfallNanos();
    if (shortfall != 0) {
      warnings = new ArrayList<>(warnings);
      warnings.add("unused commitments and idle self-hosted capacity of " + decimal(BigDecimal.valueOf(shortfall, 9))
          + " USD are owed but are no row of this file (see the effective-cost report)");
      warnings = List.copyOf(warnings);
    }
    return new Result(List.copyOf(rows), ledger, billedTotal, warnings, shortfall);
  }

  /** What a contract leaves of the list unit price: 1 − discount for negotiated terms, else 1. */
  private static BigDecimal contractedFactor(Contract contract) {
    if (contract != null && contract.terms() instanceof Contract.Negotiated n) {
      return BigDecimal.ONE.subtract(n.discountPercent().movePointLeft(2));
    }
    return BigDecimal.ONE;
  }

  private record RowKey(LocalDate day, String model, String tier, TokenKind kind, String account, String providerType,
      String tags) {}

  private record Sku(long rateNanosPerMTok, BigDecimal contractedFactor, String servedModel) {}

  private static FocusRow row(RowKey k, Sku sku, long tokens, long billedNanos, Context context) {
    String company = ProviderNames.company(k.providerType());
    boolean selfHosted = company == null;
    String provider = selfHosted ? context.org() : company;
    BigDecimal unitPrice = BigDecimal.valueOf(sku.rateNanosPerMTok(), 9);
    BigDecimal quantity = BigDecimal.valueOf(tokens).divide(MILLION);
    BigDecimal listCost = unitPrice.multiply(quantity);
    BigDecimal contractedPrice = unitPrice.multiply(sku.contractedFactor());
    BigDecimal contractedCost = contractedPrice.multiply(quantity);
    LocalDate month = k.day().withDayOfMonth(1);
    String skuId = k.model() + ":" + k.kind().sku();

    Map<String, String> v = new LinkedHashMap<>();
    v.put("BilledCost", decimal(BigDecimal.valueOf(billedNanos, 9)));
    v.put("BillingAccountId", context.org() + "/" + k.account());
    v.put("BillingAccountName", k.account() + " (" + context.org() + ")");
    v.put("BillingCurrency", "USD");
    v.put("BillingPeriodEnd", instant(month.plusMonths(1)));
    v.put("BillingPeriodStart", instant(month));
    v.put("ChargeCategory", "Usage");
    v.put("ChargeClass", null);
    v.put("ChargeDescription", k.kind().meter().substring(0, 1) + k.kind().meter().substring(1).toLowerCase(java.util.Locale.ROOT)
        + " for " + k.model());
    v.put("ChargeFrequency", "Usage-Based");
    v.put("ChargePeriodEnd", instant(k.day().plusDays(1)));
    v.put("ChargePeriodStart", instant(k.day()));
    v.put("ConsumedQuantity", Long.toString(tokens));
    v.put("ConsumedUnit", "Tokens");
    v.put("ContractedCost", decimal(contractedCost));
    v.put("ContractedUnitPrice", decimal(contractedPrice));
    v.put("EffectiveCost", decimal(BigDecimal.valueOf(billedNanos, 9)));
    v.put("HostProviderName", provider);
    v.put("InvoiceId", null);
    v.put("InvoiceIssuerName", provider);
    v.put("ListCost", decimal(listCost));
    v.put("ListUnitPrice", decimal(unitPrice));
    v.put("PricingCategory", "Standard");
    v.put("PricingCurrency", "USD");
    v.put("PricingCurrencyContractedUnitPrice", decimal(contractedPrice));
    v.put("PricingCurrencyEffectiveCost", decimal(BigDecimal.valueOf(billedNanos, 9)));
    v.put("PricingCurrencyListUnitPrice", decimal(unitPrice));
    v.put("PricingQuantity", decimal(quantity));
    v.put("PricingUnit", "1000000 Tokens");
    v.put("ProviderName", provider);
    v.put("PublisherName", ProviderNames.publisher(sku.servedModel() != null ? sku.servedModel() : k.model(), provider));
    v.put("ServiceCategory", "AI and Machine Learning");
    v.put("ServiceName", selfHosted ? "Self-hosted models" : provider + " API");
    v.put("ServiceProviderName", provider);
    v.put("ServiceSubcategory", "Generative AI");
    v.put("SkuId", skuId);
    v.put("SkuMeter", k.kind().meter());
    SortedMap<String, String> details = new TreeMap<>();
    details.put("x_ModelId", k.model());
    details.put("x_PriceTier", k.tier());
    details.put("x_TokenDirection", k.kind().direction());
    if (k.kind().cacheAction() != null) details.put("x_TokenCacheAction", k.kind().cacheAction());
    v.put("SkuPriceDetails", Json.object(details));
    v.put("SkuPriceId", skuId + ":" + k.tier());
    v.replaceAll((column, value) -> value == null ? null : Json.ascii(value)); // FOCUS strings are ASCII
    v.put("Tags", k.tags());
    return new FocusRow(v);
  }

  /** Tollgate's attribution under the {@code tollgate/} prefix, over the request's own tags; null when empty. */
  private static String tags(SkuUsage u, Context context) {
    SortedMap<String, String> tags = new TreeMap<>(u.tags());
    put(tags, "org", u.org());
    put(tags, "team", u.team());
    put(tags, "cost_center", u.team() == null ? null : context.costCenters().get(u.team()));
    put(tags, "project", u.project());
    put(tags, "workflow", u.workflow());
    put(tags, "agent", u.agent());
    put(tags, "workload_class", u.workloadClass());
    return tags.isEmpty() ? null : Json.object(tags);
  }

  private static void put(Map<String, String> tags, String key, String value) {
    if (value != null) tags.put(TAG_PREFIX + key, value);
  }

  /** A plain decimal: no exponent, no trailing zeros, "0" for zero. */
  static String decimal(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  static String instant(LocalDate day) {
    return DATE_TIME_TEXT.format(day.atStartOfDay(ZoneOffset.UTC));
  }
}
