package dev.tollgate.cli;

import dev.tollgate.domain.money.Money;
import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.PriceCatalog;
import dev.tollgate.domain.pricing.PriceTier;
import dev.tollgate.domain.pricing.Rates;
import dev.tollgate.pricing.BundledCatalog;
import dev.tollgate.pricing.LitellmCatalogFormat;
import dev.tollgate.pricing.LitellmCatalogFormat.SkipReason;
import dev.tollgate.pricing.TollgateCatalogFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tollgate prices}: what a model costs, and turning LiteLLM's public price list into the
 * catalog Tollgate bundles. Exit codes: 0 done, 1 no price for the model, 2 unreadable input or bad
 * usage.
 */
@Command(
    name = "prices",
    description = "Look up model prices; import a LiteLLM price list.",
    mixinStandardHelpOptions = true,
    subcommands = {PricesCommand.Lookup.class, PricesCommand.Import.class})
public final class PricesCommand implements Callable<Integer> {

  static final int NOT_FOUND = 1;
  static final int UNREADABLE = 2;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return UNREADABLE;
  }

  @Command(name = "lookup", mixinStandardHelpOptions = true,
      description = "Print a model's prices in USD per million tokens, its tiers and token limits.")
  public static final class Lookup implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name, with or without a provider prefix.")
    String model;

    @Option(names = "--catalog", paramLabel = "FILE",
        description = "A price file (Tollgate or LiteLLM format) layered over the bundled catalog.")
    Path catalogFile;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      PriceCatalog catalog = BundledCatalog.load();
      if (catalogFile != null) {
        try {
          catalog = BundledCatalog.loadFile(catalogFile).layeredOver(catalog);
        } catch (IOException e) {
          err.println("cannot read price catalog " + catalogFile + ": " + describe(e));
          return UNREADABLE;
        }
      }
      Optional<CatalogEntry> found = catalog.find(model);
      if (found.isEmpty()) {
        err.println("no price for " + model + "; closest: " + String.join(", ", catalog.closestNames(model, 3)));
        return NOT_FOUND;
      }
      print(found.get(), out);
      return 0;
    }

    private void print(CatalogEntry entry, PrintWriter out) {
      out.println(entry.model().equals(model) ? entry.model() : entry.model() + " (asked for " + model + ")");
      out.println("  provider:           " + orUnknown(entry.provider()));
      out.println("  mode:               " + orUnknown(entry.mode()));
      out.println("  source:             " + entry.price().source());
      out.println("  max input tokens:   " + orUnknown(entry.maxInputTokens()));
      out.println("  max output tokens:  " + orUnknown(entry.maxOutputTokens()));
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("USD per 1M tokens", "input", "cached input", "cache write", "output", "reasoning"));
      rows.add(row("base", entry.price().base()));
      for (PriceTier tier : entry.price().tiers()) {
        rows.add(row("above " + tier.aboveInputTokens() + " input", tier.rates()));
      }
      int[] widths = new int[rows.get(0).size()];
      for (List<String> row : rows) {
        for (int i = 0; i < row.size(); i++) widths[i] = Math.max(widths[i], row.get(i).length());
      }
      for (List<String> row : rows) {
        StringBuilder line = new StringBuilder(" ");
        for (int i = 0; i < row.size(); i++) {
          line.append(' ').append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 1));
        }
        out.println(line.toString().stripTrailing());
      }
      if (!entry.price().tiers().isEmpty()) {
        out.println("  a tier's rates apply to the whole request once its prompt exceeds the threshold");
      }
    }

    private static List<String> row(String label, Rates rates) {
      return List.of(label, usd(rates.inputNanosPerMTok()), usd(rates.cachedInputNanosPerMTok()),
          usd(rates.cacheWriteNanosPerMTok()), usd(rates.outputNanosPerMTok()), usd(rates.reasoningNanosPerMTok()));
    }

    /** Nano-dollars per million tokens read as a Money amount is exactly USD per million tokens. */
    private static String usd(long nanosPerMTok) {
      return Money.ofNanos(nanosPerMTok).toUsdString();
    }

    private static String orUnknown(Object value) {
      return value == null ? "unknown" : value.toString();
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Convert a LiteLLM model_prices_and_context_window.json into a Tollgate price file.")
  public static final class Import implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The LiteLLM price list to read.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The Tollgate price file to write.")
    Path output;

    @Option(names = "--modes", split = ",", paramLabel = "MODE", defaultValue = "chat,embedding,completion,responses",
        description = "Modes to keep, comma-separated (default: ${DEFAULT-VALUE}).")
    Set<String> modes;

    @Option(names = "--source", paramLabel = "TEXT",
        description = "Where the prices came from, written into the file (default: the input file name).")
    String source;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      LitellmCatalogFormat.Result read;
      try {
        read = LitellmCatalogFormat.read(input);
      } catch (IOException e) {
        err.println("cannot read " + input + " as a LiteLLM price list: " + describe(e));
        return UNREADABLE;
      }
      List<CatalogEntry> kept = new ArrayList<>();
      Set<String> otherModes = new TreeSet<>();
      for (CatalogEntry entry : read.entries()) {
        if (modes.contains(entry.mode())) kept.add(entry);
        else otherModes.add(entry.mode() == null ? "(none)" : entry.mode());
      }
      if (kept.isEmpty()) {
        err.println("cannot import " + input + ": no model in it has per-token prices in modes " + new TreeSet<>(modes)
            + "; is it LiteLLM's model_prices_and_context_window.json?");
        return UNREADABLE;
      }
      // The file records its provenance once; a reader gives each price its own source.
      String note = source != null ? source : input.getFileName().toString();
      try {
        TollgateCatalogFormat.write(new TollgateCatalogFormat.Document(note, kept), output);
      } catch (IOException e) {
        err.println("cannot write " + output + ": " + describe(e));
        return UNREADABLE;
      }
      int otherMode = read.entries().size() - kept.size();
      out.printf("imported %d models into %s; skipped %d: %d without per-token prices, %d in other modes%s%s%n",
          kept.size(), output, read.skipped().size() + otherMode, read.skippedFor(SkipReason.NO_TOKEN_PRICES),
          otherMode, otherModes.isEmpty() ? "" : " " + otherModes,
          read.skippedFor(SkipReason.UNREADABLE_PRICE) == 0 ? ""
              : ", " + read.skippedFor(SkipReason.UNREADABLE_PRICE) + " with unreadable prices");
      for (LitellmCatalogFormat.Skipped skipped : read.skipped()) {
        if (skipped.reason() == SkipReason.UNREADABLE_PRICE) {
          err.println("skipped " + skipped.model() + ": " + skipped.detail());
        }
      }
      if (!read.rounded().isEmpty()) {
        out.printf("rounded %d prices finer than a nano-dollar per million tokens (e.g. %s)%n",
            read.rounded().size(), read.rounded().get(0));
      }
      return 0;
    }
  }

  /** An I/O failure in words: the JDK names only the path for a missing or forbidden file. */
  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) return "no such file";
    if (e instanceof AccessDeniedException) return "permission denied";
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
