package dev.lookout.collector.retention;

import dev.lookout.collector.store.RecordKind;
import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.query.RowExtents;
import dev.lookout.collector.store.write.Counters;
import dev.lookout.collector.store.write.RetentionDeletes;
import dev.lookout.collector.store.write.StoreWriter;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the retention rules continuously: age per signal, rows per signal, and the size cap
 * (oldest events first, across signals). Deletes go through the writer thread in small batches,
 * each its own transaction, so ingest never waits long behind them; the backend then makes the
 * freed space reusable (SQLite: incremental vacuum hands pages back to the file system;
 * PostgreSQL: plain VACUUM).
 */
public final class RetentionWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionWorker.class);
  /** Rows per delete transaction: small enough that an ingest batch never waits more than a few ms. */
  static final int BATCH = 2000;
  /** Under the cap, retention aims this far below it, so the file never reaches it. */
  static final double SIZE_HEADROOM = 0.90;
  private static final long PERIOD_MS = 1000;

  private final Database database;
  private final StoreWriter writer;
  private final RowExtents extents;
  private final RetentionRules rules;
  private final long maxBytes;
  private final Map<RecordKind, AtomicLong> deleted = new EnumMap<>(RecordKind.class);
  private final Thread thread;
  private volatile boolean running = true;
  /**
   * What the file and its log may grow by before the next pass (only the retention thread
   * touches these): the largest log seen lately, and the largest growth of used pages between
   * two passes, so that at high ingest rates or small caps the headroom is more than 10 %.
   */
  private long walPeak;
  private long growthPeak;
  private long lastUsed = -1;

  public RetentionWorker(Database database, StoreWriter writer, RetentionRules rules, long maxBytes) {
    this.database = database;
    this.writer = writer;
    this.extents = new RowExtents(database);
    this.rules = rules;
    this.maxBytes = maxBytes;
    for (RecordKind s : RecordKind.values()) {
      deleted.put(s, new AtomicLong(Counters.read(database, RetentionDeletes.counterOf(s))));
    }
    this.thread = new Thread(this::run, "lookout-retention");
    thread.setDaemon(true);
    thread.start();
  }

  public RetentionRules rules() {
    return rules;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Rows removed by retention so far, per signal (kept across restarts). */
  public long deleted(RecordKind s) {
    return deleted.get(s).get();
  }

  private void run() {
    while (running) {
      try {
        enforce();
        TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        LOG.warn("retention pass failed; retrying: {}", e.toString());
        try {
          TimeUnit.MILLISECONDS.sleep(PERIOD_MS * 5);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** One pass over every rule; public so tests can drive it without waiting. */
  public void enforce() throws Exception {
    long now = System.currentTimeMillis();
    for (RecordKind s : RecordKind.values()) {
      Long age = rules.maxAgeMs(s);
      if (age != null) {
        while (running && deleteOlderThan(s, now - age) == BATCH) {
          // another batch
        }
      }
      Long rows = rules.maxRows(s);
      if (rows != null) {
        long excess;
        while (running && (excess = extents.estimatedRows(s) - rows) > 0) {
          deleteOldest(s, (int) Math.min(excess, BATCH));
        }
      }
    }
    if (rules.longestAgeMs() != Long.MAX_VALUE) {
      long cutoffMinute = (now - rules.longestAgeMs()) / 60_000;
      writer.execute(c -> RetentionDeletes.rollupsBefore(c, cutoffMinute)).get();
    }
    enforceSize();
  }

  /**
   * Deletes the oldest rows, across signals, until the used pages are under the cap less room
   * for what arrives before the next pass: the cap is for the file and its write-ahead log
   * together, and the log grows between checkpoints.
   */
  private void enforceSize() throws Exception {
    long used = usedBytes();
    // Peaks decay so one burst does not shrink what is kept for good.
    walPeak = Math.max(database.walBytes(), walPeak * 9 / 10);
    growthPeak = Math.max(lastUsed < 0 ? 0 : used - lastUsed, growthPeak * 9 / 10);
    long target = Math.max(maxBytes / 2, (long) (maxBytes * SIZE_HEADROOM) - walPeak - 2 * growthPeak);
    boolean deletedAny = false;
    while (running && usedBytes() > target) {
      RecordKind oldest = signalWithOldestRow();
      if (oldest == null) {
        break;
      }
      deleteOldest(oldest, BATCH);
      deletedAny = true;
    }
    lastUsed = usedBytes();
    database.reclaim(writer, deletedAny, maxBytes);
  }

  private long usedBytes() throws SQLException {
    return database.usedBytes();
  }

  private int deleteOlderThan(RecordKind s, long cutoff) throws Exception {
    int[] n = new int[1];
    writer.execute(c -> n[0] = RetentionDeletes.olderThan(c, s, cutoff, BATCH)).get();
    counted(s, n[0]);
    return n[0];
  }

  private void deleteOldest(RecordKind s, int rows) throws Exception {
    int[] n = new int[1];
    writer.execute(c -> n[0] = RetentionDeletes.oldest(c, s, rows)).get();
    counted(s, n[0]);
  }

  /** After the commit of a delete: the persistent counter went up in its transaction, this one follows. */
  private void counted(RecordKind s, int n) {
    deleted.get(s).addAndGet(n);
  }

  private RecordKind signalWithOldestRow() throws SQLException {
    RecordKind oldest = null;
    long oldestTime = Long.MAX_VALUE;
    for (RecordKind s : RecordKind.values()) {
      Long t = extents.firstRowTime(s);
      if (t != null && t < oldestTime) {
        oldestTime = t;
        oldest = s;
      }
    }
    return oldest;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
