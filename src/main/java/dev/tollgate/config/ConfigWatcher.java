package dev.tollgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config when its file changes. It polls a hash of the file's content on one daemon
 * thread rather than using a {@link java.nio.file.WatchService}, which misses the atomic renames most
 * editors and config-management tools use to save.
 *
 * <p>A change that loads is handed to {@code onReload}; one that does not is handed to {@code
 * onRejected} and logged, and the previous config stays in force (the watcher never calls {@code
 * onReload} with a bad config). If {@code onReload} itself refuses the config by throwing a {@link
 * ConfigException} (say, a model with no price), that too counts as rejected. Each content is judged
 * once: a broken file is reported once, not on every poll, and is reloaded as soon as it changes again.
 *
 * <p>The baseline is the file's content when the watcher is made, so make it right after loading the
 * initial config. Callbacks run on the watcher's thread (or the caller's, for {@link #checkNow()}),
 * never two at a time.
 */
public final class ConfigWatcher implements AutoCloseable {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

  /** What one check found. */
  public enum Outcome {
    /** The file's content is the same as at the last check. */
    UNCHANGED,
    /** The file changed, loaded, and was handed to {@code onReload}. */
    RELOADED,
    /** The file changed but was refused; the previous config is kept. */
    REJECTED
  }

  private final Path file;
  private final Function<Path, GatewayConfig> loader;
  private final Consumer<GatewayConfig> onReload;
  private final Consumer<ConfigException> onRejected;
  private final ScheduledExecutorService executor;
  private volatile Thread pollerThread;
  private String lastFingerprint; // guarded by this

  /** Polls every second, loading with {@link ConfigLoader#load(Path)}. */
  public ConfigWatcher(Path file, Consumer<GatewayConfig> onReload, Consumer<ConfigException> onRejected) {
    this(file, DEFAULT_INTERVAL, ConfigLoader::load, onReload, onRejected);
  }

  /**
   * Starts polling {@code file} every {@code interval}.
   *
   * @param loader reads and validates the file, throwing {@link ConfigException} when it is bad
   *     (normally {@code ConfigLoader::load})
   */
  public ConfigWatcher(Path file, Duration interval, Function<Path, GatewayConfig> loader,
      Consumer<GatewayConfig> onReload, Consumer<ConfigException> onRejected) {
    this.file = Objects.requireNonNull(file, "file");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.onReload = Objects.requireNonNull(onReload, "onReload");
    this.onRejected = Objects.requireNonNull(onRejected, "onRejected");
    if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("interval must be positive");
    this.lastFingerprint = fingerprint();
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tollgate-config-watcher");
      t.setDaemon(true);
      pollerThread = t;
      return t;
    });
    long millis = Math.max(1, interval.toMillis());
    executor.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Checks the file now, on the caller's thread, and applies or rejects a change as the poller would. */
  public synchronized Outcome checkNow() {
    String fingerprint = fingerprint();
    if (fingerprint.equals(lastFingerprint)) return Outcome.UNCHANGED;
    lastFingerprint = fingerprint;
    GatewayConfig next;
    try {
      next = loader.apply(file);
    } catch (ConfigException e) {
      return reject(e);
    }
    try {
      onReload.accept(next);
    } catch (ConfigException e) {
      return reject(e);
    } catch (RuntimeException e) {
      log.error("config reload failed while applying {}; keeping the previous config", file, e);
      return reject(ConfigException.of(file.toString(), "", "the new config could not be applied: " + e));
    }
    log.info("config reloaded from {}", file);
    return Outcome.RELOADED;
  }

  /**
   * Stops polling and waits (up to five seconds) for a check already running to finish, so no callback
   * runs after this returns — unless it is called from a callback, which it then does not wait for.
   */
  @Override
  public void close() {
    executor.shutdown();
    if (Thread.currentThread() == pollerThread) return;
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) log.warn("config watcher still busy after close");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Outcome reject(ConfigException e) {
    log.warn("config reload rejected, keeping the previous config: {}", e.getMessage());
    try {
      onRejected.accept(e);
    } catch (RuntimeException callbackFailure) {
      log.error("the config rejection handler failed", callbackFailure);
    }
    return Outcome.REJECTED;
  }

  private void poll() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      // Never let an exception cancel the schedule.
      log.error("config watcher check failed", e);
    }
  }

  /** A SHA-256 of the content, or a marker for a missing or unreadable file (the loader then reports it). */
  private String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchFileException e) {
      return "missing";
    } catch (IOException e) {
      return "unreadable: " + e;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
