package dev.tollgate.report.focus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the FOCUS Cost and Usage dataset, every value already in its FOCUS text form (numbers
 * as plain decimals, date-times as {@code YYYY-MM-DDTHH:mm:ssZ}, JSON as compact objects); null is
 * a real null.
 */
public record FocusRow(Map<String, String> values) {

  /**
   * The columns written, in this order: the 21 mandatory FOCUS 1.2 columns, the recommended and
   * conditional ones Tollgate can fill, and the 1.3 provider columns ServiceProviderName and
   * HostProviderName, sorted by name as the spec's examples are. InvoiceId is always null (Tollgate
   * issues no invoices); the PricingCurrency columns repeat the USD values (prices are in the billing
   * currency), so that readers which expect them whenever list prices are published find them.
   */
  public static final List<String> COLUMNS = List.of(
      "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
      "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
      "ConsumedQuantity", "ConsumedUnit", "ContractedCost", "ContractedUnitPrice", "EffectiveCost", "HostProviderName",
      "InvoiceId", "InvoiceIssuerName", "ListCost", "ListUnitPrice", "PricingCategory", "PricingCurrency",
      "PricingCurrencyContractedUnitPrice", "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "PricingQuantity",
      "PricingUnit", "ProviderName",
      "PublisherName", "ServiceCategory", "ServiceName", "ServiceProviderName", "ServiceSubcategory", "SkuId", "SkuMeter",
      "SkuPriceDetails", "SkuPriceId", "Tags");

  public FocusRow {
    if (!values.keySet().equals(new java.util.HashSet<>(COLUMNS))) {
      throw new IllegalArgumentException("a FOCUS row needs exactly the columns " + COLUMNS + ", got " + values.keySet());
    }
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public String get(String column) {
    return values.get(column);
  }
}
