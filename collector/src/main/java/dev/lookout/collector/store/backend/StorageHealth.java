package dev.lookout.collector.store.backend;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether commits reach the disk. A full disk (or file size limit), a read-only file system or an
 * I/O error makes SQLite refuse the commit; the batch is rolled back whole, so nothing stored is
 * touched. The collector says so once in its log, reports it on {@code /healthz} and
 * {@code /api/stats}, ingest answers 503 with Retry-After (agents keep the data and retry), and
 * the first commit that succeeds again ends it: no restart is needed.
 */
public final class StorageHealth {

  private static final Logger LOG = LoggerFactory.getLogger(StorageHealth.class);

  /** What kind of disk trouble; {@code null} from {@link #classify} means the failure is something else. */
  public enum Problem {
    FULL("full", "no space left (the disk, a quota or the file size limit is full)"),
    READ_ONLY("read-only", "the data directory or its file system is read-only"),
    IO_ERROR("io-error", "writes to the disk fail (an I/O error, or a file size limit reached)"),
    UNREACHABLE("unreachable", "the database server cannot be reached or is shutting down");

    public final String key;
    public final String explanation;

    Problem(String key, String explanation) {
      this.key = key;
      this.explanation = explanation;
    }
  }

  /** Since when commits fail, and why. */
  public record Trouble(Problem problem, String detail, long sinceMillis) {}

  /** The SQLite file or the PostgreSQL server, for the log. */
  private final String where;
  private final AtomicLong failedCommits = new AtomicLong();
  private volatile Trouble trouble;

  StorageHealth(String where) {
    this.where = where;
  }

  /**
   * SQLite's result codes for disk trouble: SQLITE_FULL (13), SQLITE_READONLY (8), SQLITE_IOERR (10,
   * e.g. EFBIG or EIO on write) and SQLITE_CANTOPEN (14), possibly as extended codes; and
   * PostgreSQL's SQLSTATEs: disk_full (53100), read_only_sql_transaction (25006, a standby),
   * io_error (58030), connection exceptions (08…) and shutdowns (57P01-57P03).
   */
  public static Problem classify(Throwable t) {
    if (!(t instanceof SQLException e)) {
      return null;
    }
    Problem p = classifyOne(e);
    // a failed JDBC batch carries the server's error further down
    for (int depth = 0; p == null && depth < 5; depth++) {
      Throwable next = e.getNextException() != null ? e.getNextException() : e.getCause();
      if (!(next instanceof SQLException n) || n == e) {
        break;
      }
      e = n;
      p = classifyOne(e);
    }
    return p;
  }

  private static Problem classifyOne(SQLException e) {
    String state = e.getSQLState();
    if (state != null && state.length() == 5) {
      if (state.equals("53100")) {
        return Problem.FULL;
      }
      if (state.equals("25006")) {
        return Problem.READ_ONLY;
      }
      if (state.equals("58030")) {
        return Problem.IO_ERROR;
      }
      if (state.startsWith("08") || state.startsWith("57P")) {
        return Problem.UNREACHABLE;
      }
    }
    String m = String.valueOf(e.getMessage());
    int code = e.getErrorCode() & 0xff;
    if (code == 13 || m.contains("SQLITE_FULL")) {
      return Problem.FULL;
    }
    if (code == 8 || m.contains("SQLITE_READONLY")) {
      return Problem.READ_ONLY;
    }
    if (code == 10 || code == 14 || m.contains("SQLITE_IOERR") || m.contains("SQLITE_CANTOPEN")) {
      return Problem.IO_ERROR;
    }
    return null;
  }

  /** A commit failed; logs the first failure of a spell of trouble only, so a full disk does not also fill the log. */
  public void commitFailed(SQLException e) {
    Problem problem = classify(e);
    if (problem == null) {
      return;
    }
    failedCommits.incrementAndGet();
    if (trouble == null) {
      trouble = new Trouble(problem, String.valueOf(e.getMessage()), System.currentTimeMillis());
      LOG.error("cannot write to {}: {} ({}). OTLP ingest answers 503 with Retry-After, so agents keep their data"
          + " and retry; what is stored is untouched. Writing resumes by itself once the disk (or database server)"
          + " takes writes again.",
          where, problem.explanation, e.getMessage());
    }
  }

  public void commitSucceeded() {
    Trouble was = trouble;
    if (was != null) {
      trouble = null;
      LOG.info("writing to {} works again after {} s of '{}'; ingest accepts data again", where,
          (System.currentTimeMillis() - was.sinceMillis()) / 1000, was.problem().key);
    }
  }

  /** The current trouble, or {@code null} when the last commit succeeded. */
  public Trouble trouble() {
    return trouble;
  }

  /** Commits refused for disk trouble since start. */
  public long failedCommits() {
    return failedCommits.get();
  }
}
