package dev.lookout.collector.store;

import dev.lookout.collector.live.LiveHub;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The only thread that writes. Ingest hands it batches; it folds whatever is waiting into one
 * transaction, commits, and only then completes the batches' futures (so a 2xx means committed)
 * and publishes the rows to live subscribers.
 */
public final class StoreWriter implements AutoCloseable {

  /** Batches waiting; past this, ingest is told to come back later (503) instead of queueing forever. */
  static final int QUEUE_CAPACITY = 256;
  /** Rows folded into one transaction at most. */
  static final int MAX_ROWS_PER_COMMIT = 8192;

  private static final String INSERT_REQUEST = "INSERT INTO requests (trace_id, span_id, service, method, path,"
      + " route, query, status, duration_ms, start_time, client_address, exception_count, log_count, attributes)"
      + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

  private final Database database;
  private final LiveHub live;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private final AtomicLong rowsWritten = new AtomicLong();
  private volatile boolean running = true;

  /** Rows of one OTLP request and the future its HTTP answer waits on. */
  private record Batch(List<RequestRecord> requests, CompletableFuture<Void> committed) {}

  public StoreWriter(Database database, LiveHub live) {
    this.database = database;
    this.live = live;
    this.thread = new Thread(this::run, "lookout-store-writer");
    thread.setDaemon(false);
    thread.start();
  }

  /**
   * Queues rows for the next commit. The future completes once they are durable, or fails; it is
   * already failed with {@link SaturatedException} when the queue is full.
   */
  public CompletableFuture<Void> submit(List<RequestRecord> requests) {
    CompletableFuture<Void> committed = new CompletableFuture<>();
    if (requests.isEmpty()) {
      committed.complete(null);
      return committed;
    }
    if (!running || !queue.offer(new Batch(requests, committed))) {
      committed.completeExceptionally(new SaturatedException());
    }
    return committed;
  }

  public long rowsWritten() {
    return rowsWritten.get();
  }

  public int queueDepth() {
    return queue.size();
  }

  /** The writer is behind (or stopping): the client should retry later. */
  public static final class SaturatedException extends RuntimeException {
    public SaturatedException() {
      super("storage is busy, retry later", null, false, false);
    }
  }

  private void run() {
    Connection c = database.writeConnection();
    List<Batch> pending = new ArrayList<>();
    try (PreparedStatement insert = c.prepareStatement(INSERT_REQUEST, Statement.RETURN_GENERATED_KEYS)) {
      while (running || !queue.isEmpty()) {
        Batch first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        pending.add(first);
        int rows = first.requests.size();
        Batch next;
        while (rows < MAX_ROWS_PER_COMMIT && (next = queue.poll()) != null) {
          pending.add(next);
          rows += next.requests.size();
        }
        commit(c, insert, pending);
        pending.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      fail(pending, e);
    }
    fail(new ArrayList<>(queue), new SaturatedException());
  }

  private void commit(Connection c, PreparedStatement insert, List<Batch> batches) {
    List<RequestRecord> stored = new ArrayList<>();
    try {
      for (Batch b : batches) {
        for (RequestRecord r : b.requests) {
          bind(insert, r);
          insert.executeUpdate();
          try (ResultSet keys = insert.getGeneratedKeys()) {
            stored.add(keys.next() ? r.withId(keys.getLong(1)) : r);
          }
        }
      }
      c.commit();
    } catch (SQLException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the batch is failed either way
      }
      fail(batches, e);
      return;
    }
    rowsWritten.addAndGet(stored.size());
    for (Batch b : batches) {
      b.committed.complete(null);
    }
    live.publishRequests(stored);
  }

  private static void bind(PreparedStatement s, RequestRecord r) throws SQLException {
    s.setString(1, r.traceId());
    s.setString(2, r.spanId());
    s.setString(3, r.service());
    s.setString(4, r.method());
    s.setString(5, r.path());
    setNullable(s, 6, r.route());
    setNullable(s, 7, r.query());
    s.setInt(8, r.status());
    s.setDouble(9, r.durationMs());
    s.setLong(10, r.startTime());
    setNullable(s, 11, r.clientAddress());
    s.setInt(12, r.exceptionCount());
    s.setInt(13, r.logCount());
    setNullable(s, 14, r.attributesJson());
  }

  private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }

  private static void fail(List<Batch> batches, Exception cause) {
    for (Batch b : batches) {
      b.committed.completeExceptionally(cause);
    }
  }

  /** Stops taking batches, commits what is queued, then returns. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
