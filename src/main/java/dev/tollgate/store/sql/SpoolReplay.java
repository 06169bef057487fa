package dev.tollgate.store.sql;

import dev.tollgate.store.spool.Claim;
import dev.tollgate.store.spool.Spool;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves spooled rows into the database: every segment nobody holds, oldest first, in batches, each
 * segment deleted once all its rows are committed. Stops at the first failure and leaves the
 * segment for the next pass; rows already inserted from it are skipped then by {@code ON CONFLICT
 * DO NOTHING}, so a row reaches the ledger exactly once however often a pass is cut short.
 */
final class SpoolReplay {

  private static final Logger log = LoggerFactory.getLogger(SpoolReplay.class);

  /**
   * What a pass did.
   *
   * @param ownRows rows of segments this process spooled
   * @param earlierRows rows of segments left by an earlier or another process
   * @param slowestCommitNanos the longest one batch took (the probe's time if nothing was replayed)
   */
  record Outcome(long ownRows, long earlierRows, long slowestCommitNanos) {
    boolean fasterThan(Duration bound) {
      return slowestCommitNanos < bound.toNanos();
    }
  }

  private final LedgerInsert insert;
  private final Spool spool;
  private final int batchSize;
  private final LongConsumer ownRowsReplayed;

  /**
   * @param ownRowsReplayed told how many rows of one of this process's segments are in the database,
   *     before the segment is deleted (which is what releases a flush waiting for them)
   */
  SpoolReplay(LedgerInsert insert, Spool spool, int batchSize, LongConsumer ownRowsReplayed) {
    this.insert = insert;
    this.spool = spool;
    this.batchSize = batchSize;
    this.ownRowsReplayed = ownRowsReplayed;
  }

  /**
   * Replays every replayable segment; when there was none, checks that the database answers.
   *
   * @throws SQLException if the database refused a batch (the pass stops there)
   * @throws IOException if the spool directory or a segment cannot be read
   */
  Outcome replayAll() throws SQLException, IOException {
    long own = 0;
    long earlier = 0;
    long slowest = 0;
    boolean touched = false;
    long elsewhere = spool.forgetReplayedElsewhere();
    if (elsewhere > 0) {
      own += elsewhere;
      ownRowsReplayed.accept(elsewhere);
    }
    for (Path segment : spool.replayable()) {
      try (Claim claim = spool.claim(segment)) {
        if (claim == null) continue;
        touched = true;
        long[] slowestHere = {0};
        Claim.Replayed r = claim.replay(batchSize, rows -> {
          long start = System.nanoTime();
          insert.write(rows);
          slowestHere[0] = Math.max(slowestHere[0], System.nanoTime() - start);
        });
        if (claim.own()) {
          own += r.rows();
          ownRowsReplayed.accept(r.rows());
        } else {
          earlier += r.rows();
        }
        claim.delete();
        slowest = Math.max(slowest, slowestHere[0]);
        if (!claim.own() || r.corruptLines() > 0) {
          log.info("replayed {} ledger rows from spool segment {}{}", r.rows(), segment.getFileName(),
              r.corruptLines() > 0 ? " (" + r.corruptLines() + " unreadable lines skipped)" : "");
        }
      }
    }
    if (!touched) {
      long start = System.nanoTime();
      insert.probe();
      slowest = System.nanoTime() - start;
    }
    return new Outcome(own, earlier, slowest);
  }
}
