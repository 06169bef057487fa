package dev.tollgate.pricing;

import dev.tollgate.domain.pricing.CatalogEntry;
import dev.tollgate.domain.pricing.PriceCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The price catalog shipped inside the jar ({@code prices/catalog.json}, see its NOTICE.md), and
 * catalog files given by the user, in either format.
 */
public final class BundledCatalog {

  /** Class-path location of the bundled catalog. */
  public static final String RESOURCE = "/prices/catalog.json";
  /** What {@link dev.tollgate.domain.pricing.Price#source()} says for a bundled price. */
  public static final String SOURCE = "catalog";

  private BundledCatalog() {}

  /** Read on first use; volatile so that other threads see the finished catalog. */
  private static volatile PriceCatalog bundled;

  /**
   * The bundled catalog, read once per JVM on first use (about 150 ms cold, 10 ms warm).
   *
   * @throws IllegalStateException if the resource is missing or unreadable: the build is broken
   */
  public static PriceCatalog load() {
    PriceCatalog catalog = bundled;
    if (catalog == null) {
      synchronized (BundledCatalog.class) {
        catalog = bundled;
        if (catalog == null) bundled = catalog = readBundled();
      }
    }
    return catalog;
  }

  /**
   * Reads a catalog file, telling the format by its content: a top-level {@code "format"} key means
   * Tollgate's own, anything else is taken as LiteLLM's. From a LiteLLM file every model with
   * per-token prices is kept, whatever its mode. Each price's source is the file name.
   *
   * @throws IOException if the file cannot be read, is not a valid catalog in either format, has a
   *     price that cannot be read, or prices no model at all (a mistyped file must not quietly
   *     leave the bundled prices in force)
   */
  public static PriceCatalog loadFile(Path file) throws IOException {
    String source = file.getFileName().toString();
    byte[] content = Files.readAllBytes(file);
    Object root = TollgateCatalogFormat.parse(new ByteArrayInputStream(content));
    List<CatalogEntry> entries;
    if (TollgateCatalogFormat.declaresFormat(root)) {
      entries = TollgateCatalogFormat.fromValue(root, source).entries();
      if (entries.isEmpty()) throw new IOException(source + " lists no models");
    } else {
      LitellmCatalogFormat.Result read = LitellmCatalogFormat.read(new ByteArrayInputStream(content), source);
      List<String> unreadable = read.skipped().stream()
          .filter(s -> s.reason() == LitellmCatalogFormat.SkipReason.UNREADABLE_PRICE)
          .map(s -> s.model() + ": " + s.detail())
          .toList();
      if (!unreadable.isEmpty()) {
        throw new IOException(source + " has prices that cannot be read:\n  " + String.join("\n  ", unreadable));
      }
      entries = read.entries();
      if (entries.isEmpty()) {
        throw new IOException(source + " prices no model: it is neither a " + TollgateCatalogFormat.FORMAT
            + " file (no \"format\" key) nor a LiteLLM price list with per-token prices");
      }
    }
    try {
      return PriceCatalog.of(entries);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": " + e.getMessage(), e);
    }
  }

  private static PriceCatalog readBundled() {
    try (InputStream in = BundledCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("bundled price catalog " + RESOURCE + " is missing");
      return PriceCatalog.of(TollgateCatalogFormat.read(in, SOURCE).entries());
    } catch (IOException e) {
      throw new IllegalStateException("bundled price catalog " + RESOURCE + " is unreadable", e);
    }
  }
}
