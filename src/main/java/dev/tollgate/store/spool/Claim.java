package dev.tollgate.store.spool;

import dev.tollgate.domain.usage.UsageRecord;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One spool segment taken for replay, locked until {@link #close()}. Read it with {@link #replay},
 * then {@link #delete()} it once every batch is in the database.
 */
public final class Claim implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Claim.class);
  private static final int MAX_LINE_BYTES = 16 << 20;

  /** Where replayed batches go; throws to stop the replay (the segment is then left in place). */
  @FunctionalInterface
  public interface BatchSink<E extends Exception> {
    void accept(List<UsageRecord> rows) throws E;
  }

  /** What one replay read: whole rows handed to the sink, lines that did not parse, a torn last line. */
  public record Replayed(long rows, long corruptLines, boolean tornTail) {}

  private final Spool spool;
  private final Path file;
  private final FileChannel channel;
  private final FileLock fileLock;
  private final boolean own;
  private long headerBytes;
  private boolean quarantineOnDelete;
  private boolean closed;

  Claim(Spool spool, Path file, FileChannel channel, FileLock fileLock, boolean own) {
    this.spool = spool;
    this.file = file;
    this.channel = channel;
    this.fileLock = fileLock;
    this.own = own;
  }

  public Path file() {
    return file;
  }

  /** True if this JVM's spool wrote the segment (false for one left by an earlier or other process). */
  public boolean own() {
    return own;
  }

  String readHeader() throws IOException {
    channel.position(0);
    InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 4096);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      line.write(b);
      if (line.size() > MAX_LINE_BYTES) throw new IOException("header line too long");
    }
    if (b != '\n') throw new IOException("no complete header line");
    headerBytes = line.size() + 1L;
    return SpoolFormat.storageOf(line.toByteArray());
  }

  /**
   * Hands the segment's rows to {@code sink} in batches of at most {@code batchSize}, in file order.
   * Lines that do not parse are logged and skipped; a last line without its newline is a torn write
   * and is skipped.
   */
  public <E extends Exception> Replayed replay(int batchSize, BatchSink<E> sink) throws IOException, E {
    channel.position(headerBytes);
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
    List<UsageRecord> batch = new ArrayList<>(batchSize);
    ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    long rows = 0;
    long corrupt = 0;
    long lineNumber = 1;
    while (channel.read(chunk.clear()) != -1) {
      byte[] bytes = chunk.array();
      int from = 0;
      for (int i = 0; i < chunk.position(); i++) {
        if (bytes[i] != '\n') continue;
        line.write(bytes, from, i - from);
        from = i + 1;
        lineNumber++;
        try {
          batch.add(SpoolFormat.decode(line.toByteArray()));
        } catch (IOException e) {
          corrupt++;
          log.error("spool segment {} line {} cannot be read and is skipped: {}", file, lineNumber, e.getMessage());
        }
        line.reset();
        if (batch.size() >= batchSize) {
          sink.accept(List.copyOf(batch));
          rows += batch.size();
          batch.clear();
        }
      }
      if (line.size() < MAX_LINE_BYTES) line.write(bytes, from, chunk.position() - from);
    }
    if (!batch.isEmpty()) {
      sink.accept(List.copyOf(batch));
      rows += batch.size();
    }
    boolean torn = line.size() > 0;
    if (torn) log.info("spool segment {} ends in a torn write of {} bytes (never acknowledged); skipped", file, line.size());
    if (corrupt > 0) quarantineOnDelete = true;
    return new Replayed(rows, corrupt, torn);
  }

  /** Removes the segment: its rows are in the database. One with unreadable lines is kept aside as {@code .corrupt}. */
  public void delete() throws IOException {
    if (quarantineOnDelete) {
      quarantine();
    } else {
      Files.deleteIfExists(file);
    }
    spool.replayed(file);
  }

  /** Renames the segment to {@code <name>.corrupt}, where no replay looks, for someone to inspect. */
  void quarantine() throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + Spool.CORRUPT_SUFFIX);
    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
    log.error("spool segment {} had unreadable lines; kept as {}", file, aside);
  }

  /** Lets go of the segment: unlocks and closes it. A segment not deleted stays for a later replay. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      fileLock.release();
    } catch (IOException | RuntimeException ignored) {
      // closing the channel releases it too
    }
    Spool.closeQuietly(channel);
    Spool.released(file);
  }
}
