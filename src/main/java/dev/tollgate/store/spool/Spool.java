package dev.tollgate.store.spool;

import dev.tollgate.domain.usage.UsageRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, append-only place for ledger rows the database could not take in time: a directory of
 * segment files, each written by one process and replayed into the database by whoever claims it.
 *
 * <h2>Files and ownership</h2>
 *
 * <pre>
 *   spool_dir/ledger-&lt;start ms&gt;-&lt;random&gt;-&lt;n&gt;.jsonl
 *     line 1     {"tollgate_spool":1,"storage":"sqlite:/var/lib/tollgate/tollgate.db","created_at":"…"}
 *     line 2…    one ledger row per line ({@link SpoolFormat}), each ending in \n
 * </pre>
 *
 * <ul>
 *   <li><b>Writing.</b> This spool appends to one segment at a time, which it holds open under an
 *       exclusive OS file lock. A segment is created under a temporary name, its header written and
 *       forced, then renamed into place, so a {@code .jsonl} file always starts with a whole header.
 *       {@link #sync()} forces the appended bytes to disk; {@link #seal()} forces, closes and
 *       unlocks the segment, after which it is replayable. A segment past 64 MiB is sealed and a
 *       new one started, so replay frees disk as it goes.
 *   <li><b>Replaying.</b> Any segment nobody holds — sealed by this spool, or left by a process that
 *       died (the OS drops a dead process's locks) — can be {@link #claim claimed}: locked, read in
 *       batches, and deleted once its rows are in the database. Two replicas sharing a directory
 *       never replay the same segment at once, and never one that is still being written.
 *   <li><b>Torn writes.</b> A crash can leave the last line without its {@code \n}; such a tail was
 *       never acknowledged (strict mode acknowledges only after a sync) and is skipped. A line that
 *       does not parse is counted; its segment is renamed {@code .corrupt} instead of deleted.
 *   <li><b>One storage per file.</b> The header names the storage the rows belong to; a segment of
 *       another storage is left alone, so two databases never share rows through a shared directory.
 * </ul>
 *
 * <p>Sequence numbers: every row appended gets the next number; {@link #inDatabaseThrough()} says up
 * to which number every row of this spool has been replayed, which is what a flush waits for.
 * Thread-safe: appends may come from any thread.
 */
public final class Spool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Spool.class);
  static final String SUFFIX = ".jsonl";
  static final String CORRUPT_SUFFIX = ".corrupt";
  private static final String OPENING_SUFFIX = ".opening";
  private static final long MAX_SEGMENT_BYTES = 64L << 20;
  private static final Duration STALE_OPENING = Duration.ofMinutes(1);

  /**
   * Segments a writer or a replayer of this JVM holds open. File locks belong to the process, and
   * closing any channel on a file may drop every lock the process holds on it, so within one JVM
   * this set (not the OS lock) says who holds what, and nobody opens a file another one holds.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final String storage;
  private final String namePrefix;
  private final ReentrantLock lock = new ReentrantLock();

  // guarded by lock
  private Writing current;
  private int segmentsOpened;
  private long appended;
  private final TreeMap<Long, Path> unreplayedByFirstRow = new TreeMap<>();
  private final Map<Path, Long> ownFirstRow = new HashMap<>();
  private final Map<Path, Long> ownRows = new HashMap<>();

  private volatile long synced;
  private final Set<Path> warnedForeign = ConcurrentHashMap.newKeySet();

  /** The segment being appended to. */
  private static final class Writing {
    final Path file;
    final FileChannel channel;
    final FileLock fileLock;
    long bytes;
    long rows;

    Writing(Path file, FileChannel channel, FileLock fileLock, long bytes) {
      this.file = file;
      this.channel = channel;
      this.fileLock = fileLock;
      this.bytes = bytes;
    }
  }

  /**
   * A spool in {@code dir} (created when the first row is spooled) for rows of {@code storage}.
   *
   * @param storage how the database is described in segment headers, e.g. {@code sqlite:/data/t.db}
   */
  public Spool(Path dir, String storage) {
    this.dir = dir.toAbsolutePath().normalize();
    this.storage = storage;
    this.namePrefix = String.format("ledger-%013d-%06x-", System.currentTimeMillis(),
        ThreadLocalRandom.current().nextInt(1 << 24));
  }

  public Path directory() {
    return dir;
  }

  // ---- writing ----

  /**
   * Appends rows to the current segment (opening one if needed); not yet forced to disk.
   *
   * @return the sequence number of the last row appended
   * @throws IOException if the rows could not be written; the segment is then abandoned (its
   *     whole lines stay replayable) and the next append starts a new one
   */
  public long append(List<UsageRecord> rows) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 700);
    for (UsageRecord r : rows) out.writeBytes(SpoolFormat.encode(r));
    ByteBuffer bytes = ByteBuffer.wrap(out.toByteArray());
    // A file channel closes itself when a thread with its interrupt flag set uses it; the flag is
    // the caller's business, the segment is everyone's.
    boolean interrupted = Thread.interrupted();
    lock.lock();
    try {
      if (current != null && current.bytes >= MAX_SEGMENT_BYTES) sealLocked();
      if (current == null) current = openSegment();
      try {
        while (bytes.hasRemaining()) current.channel.write(bytes);
      } catch (IOException e) {
        abandonLocked();
        throw e;
      }
      current.bytes += bytes.capacity();
      current.rows += rows.size();
      ownRows.merge(current.file, (long) rows.size(), Long::sum);
      appended += rows.size();
      return appended;
    } finally {
      lock.unlock();
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Forces every row appended so far to disk. */
  public void sync() throws IOException {
    lock.lock();
    try {
      long through = appended;
      if (current != null) current.channel.force(false);
      synced = through;
    } finally {
      lock.unlock();
    }
  }

  /** Forces and closes the current segment so that it can be replayed; a no-op if none is open. */
  public void seal() throws IOException {
    lock.lock();
    try {
      if (current != null) sealLocked();
    } finally {
      lock.unlock();
    }
  }

  /** The sequence number of the last row appended (0 before any). */
  public long appendedThrough() {
    lock.lock();
    try {
      return appended;
    } finally {
      lock.unlock();
    }
  }

  /** The sequence number through which every appended row is forced to disk. */
  public long syncedThrough() {
    return synced;
  }

  /** The sequence number through which every row of this spool has been replayed into the database. */
  public long inDatabaseThrough() {
    lock.lock();
    try {
      return unreplayedByFirstRow.isEmpty() ? appended : unreplayedByFirstRow.firstKey() - 1;
    } finally {
      lock.unlock();
    }
  }

  /** True while some row of this spool is not yet replayed (in the open segment or a sealed one). */
  public boolean holdsUnreplayedRows() {
    lock.lock();
    try {
      return !unreplayedByFirstRow.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Rows in the segment being written (0 if none is open). */
  public long openRows() {
    lock.lock();
    try {
      return current == null ? 0 : current.rows;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    seal();
  }

  private Writing openSegment() throws IOException {
    Files.createDirectories(dir);
    String name = namePrefix + String.format("%06d", ++segmentsOpened);
    Path opening = dir.resolve(name + OPENING_SUFFIX);
    Path file = dir.resolve(name + SUFFIX);
    HELD.add(opening);
    HELD.add(file);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(opening, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      FileLock fileLock = channel.tryLock();
      if (fileLock == null) throw new IOException("cannot lock the new spool segment " + opening);
      ByteBuffer header = ByteBuffer.wrap(SpoolFormat.header(storage, Instant.now()));
      while (header.hasRemaining()) channel.write(header);
      channel.force(true);
      Files.move(opening, file, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory();
      HELD.remove(opening);
      Writing w = new Writing(file, channel, fileLock, channel.size());
      unreplayedByFirstRow.put(appended + 1, file);
      ownFirstRow.put(file, appended + 1);
      log.info("ledger rows are being spooled to {}", file);
      return w;
    } catch (IOException | RuntimeException e) {
      if (channel != null) closeQuietly(channel);
      HELD.remove(opening);
      HELD.remove(file);
      throw e;
    }
  }

  private void sealLocked() throws IOException {
    Writing w = current;
    current = null;
    try {
      w.channel.force(false);
      synced = appended;
    } finally {
      release(w);
    }
  }

  private void abandonLocked() {
    Writing w = current;
    current = null;
    release(w);
  }

  private static void release(Writing w) {
    try {
      w.fileLock.release();
    } catch (IOException | RuntimeException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(w.channel);
    HELD.remove(w.file);
  }

  private void forceDirectory() {
    // Makes the new name durable across a power cut; some file systems refuse, which costs nothing on a crash.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException ignored) {
      // best effort
    }
  }

  // ---- replaying ----

  /**
   * Segment files nobody in this JVM holds, oldest first: the sealed ones of this spool and any left
   * by earlier or other processes. A listed file may still be held by another process; {@link
   * #claim} finds out.
   */
  public List<Path> replayable() throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    List<Path> segments = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (HELD.contains(f)) continue;
        if (name.endsWith(SUFFIX)) segments.add(f);
        else if (name.endsWith(OPENING_SUFFIX)) removeStaleOpening(f);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    segments.sort(null);
    return segments;
  }

  /** Whether some segment other than the one being written is waiting for replay. */
  public boolean hasReplayable() throws IOException {
    return !replayable().isEmpty();
  }

  /**
   * Takes a segment for replay: locks it against every other process and replayer.
   *
   * @return null if someone else holds it, it is gone, or it belongs to another storage
   */
  public Claim claim(Path segment) throws IOException {
    Path file = segment.toAbsolutePath().normalize();
    if (!HELD.add(file)) return null;
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock fileLock;
      try {
        fileLock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        fileLock = null;
      }
      // Gone in between: replayed and deleted by another process after we listed it.
      if (fileLock == null || !Files.exists(file)) {
        closeQuietly(channel);
        HELD.remove(file);
        return null;
      }
      Claim claim = new Claim(this, file, channel, fileLock, isOwn(file));
      String owner;
      try {
        owner = claim.readHeader();
      } catch (IOException e) {
        log.error("spool segment {} has no readable header ({}); moving it aside", file, e.getMessage());
        claim.quarantine();
        claim.close();
        return null;
      }
      if (!owner.equals(storage)) {
        if (warnedForeign.add(file)) {
          log.warn("spool segment {} holds rows of {}, not of {}; leaving it for that storage", file, owner, storage);
        }
        claim.close();
        return null;
      }
      return claim;
    } catch (NoSuchFileException e) {
      if (channel != null) closeQuietly(channel);
      HELD.remove(file);
      return null;
    } catch (IOException | RuntimeException e) {
      if (channel != null) closeQuietly(channel);
      HELD.remove(file);
      throw e;
    }
  }

  private boolean isOwn(Path file) {
    lock.lock();
    try {
      return ownFirstRow.containsKey(file);
    } finally {
      lock.unlock();
    }
  }

  /** Called by a claim once its rows are in the database. */
  void replayed(Path file) {
    lock.lock();
    try {
      Long first = ownFirstRow.remove(file);
      if (first != null) unreplayedByFirstRow.remove(first);
      ownRows.remove(file);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forgets sealed segments of this spool that another process replayed (replicas sharing the
   * directory may claim each other's sealed segments), so that a flush waiting for them ends.
   *
   * @return the rows those segments held
   */
  public long forgetReplayedElsewhere() {
    lock.lock();
    try {
      long rows = 0;
      for (Path file : List.copyOf(ownFirstRow.keySet())) {
        if ((current != null && current.file.equals(file)) || HELD.contains(file) || Files.exists(file)) continue;
        rows += ownRows.getOrDefault(file, 0L);
        unreplayedByFirstRow.remove(ownFirstRow.remove(file));
        ownRows.remove(file);
      }
      return rows;
    } finally {
      lock.unlock();
    }
  }

  /** Called by a claim when it lets go of its file. */
  static void released(Path file) {
    HELD.remove(file);
  }

  private void removeStaleOpening(Path f) {
    try {
      if (Files.getLastModifiedTime(f).toInstant().isAfter(Instant.now().minus(STALE_OPENING))) return;
      if (!HELD.add(f)) return;
      try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
        FileLock l = c.tryLock();
        // It never got its name, so it holds no row: a header at most.
        if (l != null) Files.deleteIfExists(f);
      } finally {
        HELD.remove(f);
      }
    } catch (IOException | OverlappingFileLockException e) {
      // someone else is at it; try again next time
    }
  }

  static void closeQuietly(FileChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
