package dev.lookout.collector.store.write;

import dev.lookout.collector.store.StoredRecord;
import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.backend.WriteTask;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The only thread that writes. Ingest hands it batches; it folds whatever is waiting into one
 * transaction, commits, and only then completes the batches' futures (so a 2xx means committed)
 * and tells its {@link CommitListener}s what it stored.
 */
public final class StoreWriter implements WriteTask.Runner, AutoCloseable {

  /** Batches waiting; past this, ingest is told to come back later (503) instead of queueing forever. */
  static final int QUEUE_CAPACITY = 256;
  /** Rows folded into one transaction at most. */
  static final int MAX_ROWS_PER_COMMIT = 8192;

  private final Database database;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread thread;
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong commitNanos = new AtomicLong();
  private final Map<Table<?>, Insert> inserts = new HashMap<>();
  private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  /** A batch and the future its HTTP answer waits on; or a maintenance task (retention) instead of a batch. */
  private record Pending(WriteBatch batch, CompletableFuture<Void> committed, WriteTask task) {
    Pending(WriteBatch batch, CompletableFuture<Void> committed) {
      this(batch, committed, null);
    }
  }

  public StoreWriter(Database database) {
    this.database = database;
    this.thread = new Thread(this::run, "lookout-store-writer");
    thread.start();
  }

  /** From now on, {@code listener} is told the rows of each commit. */
  public void addListener(CommitListener listener) {
    listeners.add(listener);
  }

  /**
   * Queues rows for the next commit. The future completes once they are durable, or fails; it is
   * already failed with {@link SaturatedException} when the queue is full.
   */
  public CompletableFuture<Void> submit(WriteBatch batch) {
    CompletableFuture<Void> committed = new CompletableFuture<>();
    if (batch.isEmpty()) {
      committed.complete(null);
      return committed;
    }
    batch.prepare(); // on the caller's thread: the writer's is the one that cannot run in parallel
    if (!running || !queue.offer(new Pending(batch, committed))) {
      committed.completeExceptionally(new SaturatedException());
    }
    return committed;
  }

  /**
   * Runs {@code task} on the writer thread, in its own transaction, between ingest batches; the
   * future completes after its commit. Unlike ingest it waits for room in the queue.
   */
  @Override
  public CompletableFuture<Void> execute(WriteTask task) throws InterruptedException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!running) {
      done.completeExceptionally(new SaturatedException());
      return done;
    }
    queue.put(new Pending(null, done, task));
    return done;
  }

  public long rowsWritten() {
    return rowsWritten.get();
  }

  /** Transactions committed for ingest, and the time they took in total. */
  public long commits() {
    return commits.get();
  }

  public long commitNanos() {
    return commitNanos.get();
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
    List<Pending> pending = new ArrayList<>();
    try {
      while (running || !queue.isEmpty()) {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        if (first.task != null) {
          runTask(database.writeConnection(), first);
          continue;
        }
        pending.add(first);
        int rows = first.batch.size();
        Pending next;
        while (rows < MAX_ROWS_PER_COMMIT && (next = queue.peek()) != null && next.task == null) {
          pending.add(queue.poll());
          rows += next.batch.size();
        }
        commit(database.writeConnection(), pending); // fetched each time: a lost server connection is replaced
        pending.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    fail(new ArrayList<>(queue), new SaturatedException());
    forgetInserts();
  }

  /** Closes the prepared inserts; the next commit prepares them again and re-reads the next ids. */
  private void forgetInserts() {
    for (Insert insert : inserts.values()) {
      insert.close();
    }
    inserts.clear();
  }

  /**
   * The prepared INSERTs of one row type, of one row and (where the backend asks for them) of
   * {@code groupRows[g]} rows each, largest first; and the next id it hands out, or (where the
   * database numbers the rows) the query of the last id given.
   */
  private static final class Insert {
    final PreparedStatement statement;
    final PreparedStatement[] groups;
    final int[] groupRows;
    /** Parameters per row; the id is the last, unless {@link #lastId} is set. */
    final int parameters;
    /** Where the database numbers the rows: {@code SELECT max(id)} of the table; else null. */
    PreparedStatement lastId;
    long nextId;

    Insert(PreparedStatement statement, PreparedStatement[] groups, int[] groupRows, int parameters, long nextId) {
      this.statement = statement;
      this.groups = groups;
      this.groupRows = groupRows;
      this.parameters = parameters;
      this.nextId = nextId;
    }

    void close() {
      close(statement);
      for (PreparedStatement g : groups) {
        close(g);
      }
      close(lastId);
    }

    private static void close(PreparedStatement s) {
      if (s != null) {
        try {
          s.close();
        } catch (SQLException ignored) {
          // closing
        }
      }
    }
  }

  /**
   * {@code insertSql} without its id, the last column and parameter ({@link Table#insertSql}): for
   * a database that numbers the rows itself.
   */
  static String withoutId(String insertSql) {
    int values = insertSql.lastIndexOf(") VALUES (");
    if (values < 0 || !insertSql.startsWith(", id", values - ", id".length()) || !insertSql.endsWith(",?)")) {
      throw new IllegalArgumentException("not an INSERT … (…, id) VALUES (…,?): " + insertSql);
    }
    return insertSql.substring(0, values - ", id".length()) + insertSql.substring(values, insertSql.length() - 3)
        + ")";
  }

  /** {@code INSERT … VALUES (…)} with its values tuple repeated {@code rows} times. */
  static String multiRowSql(String insertSql, int rows) {
    int values = insertSql.lastIndexOf(" VALUES (");
    if (values < 0 || !insertSql.endsWith(")")) {
      throw new IllegalArgumentException("not an INSERT … VALUES (…): " + insertSql);
    }
    String tuple = insertSql.substring(values + " VALUES ".length());
    StringBuilder sql = new StringBuilder(insertSql.length() + (tuple.length() + 1) * rows).append(insertSql);
    for (int i = 1; i < rows; i++) {
      sql.append(',').append(tuple);
    }
    return sql.toString();
  }

  private void commit(Connection c, List<Pending> batches) {
    long started = System.nanoTime();
    // All batches' rows of one type go in together, so per-type work (rollups) runs once per commit.
    Map<Table<?>, List<Object>> byType = new LinkedHashMap<>();
    Map<Table<?>, List<Object>> preparedByType = new HashMap<>();
    for (Pending p : batches) {
      for (Table<?> type : p.batch.types()) {
        byType.computeIfAbsent(type, t -> new ArrayList<>()).addAll(p.batch.rowsOf(type));
        Object prepared = p.batch.preparedFor(type);
        if (prepared != null) {
          preparedByType.computeIfAbsent(type, t -> new ArrayList<>()).add(prepared);
        }
      }
    }
    Map<Table<?>, List<Object>> stored = new LinkedHashMap<>();
    try {
      for (Map.Entry<Table<?>, List<Object>> e : byType.entrySet()) {
        if (!e.getValue().isEmpty()) {
          stored.put(e.getKey(), insert(c, e.getKey(), e.getValue(),
              preparedByType.getOrDefault(e.getKey(), List.of())));
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      WriteTransactions.rollbackAndBegin(c);
      // A rollback SQLite made on its own leaves the statements unusable, and the ids handed out
      // in this transaction are free again: both are prepared and read anew.
      forgetInserts();
      if (e instanceof SQLException sql) {
        database.health().commitFailed(sql);
      }
      fail(batches, e);
      return;
    }
    database.health().commitSucceeded();
    long count = 0;
    for (List<Object> rows : stored.values()) {
      count += rows.size();
    }
    rowsWritten.addAndGet(count);
    commits.incrementAndGet();
    commitNanos.addAndGet(System.nanoTime() - started);
    for (Pending p : batches) {
      p.committed.complete(null);
    }
    stored.forEach(this::publish);
  }

  private static void runTask(Connection c, Pending p) {
    try {
      p.task.run(c);
      c.commit();
      p.committed.complete(null);
    } catch (SQLException | RuntimeException e) {
      WriteTransactions.rollbackAndBegin(c);
      p.committed.completeExceptionally(e);
    }
  }

  @SuppressWarnings("unchecked")
  private <T extends StoredRecord> List<Object> insert(Connection c, Table<T> type, List<Object> untyped,
      List<Object> prepared) throws SQLException {
    List<T> rows = (List<T>) (List<?>) untyped;
    Insert insert = inserts.get(type);
    boolean numbered = database.backend().numbersRows();
    if (insert == null) {
      String sql = numbered ? withoutId(type.insertSql()) : type.insertSql();
      int parameters = (int) sql.chars().filter(ch -> ch == '?').count();
      int[] groupRows = database.backend().rowsPerInsert();
      PreparedStatement[] groups = new PreparedStatement[groupRows.length];
      PreparedStatement single = database.backend().prepareInsert(c, sql);
      Insert made = new Insert(single, groups, groupRows, parameters, 0);
      try {
        for (int g = 0; g < groupRows.length; g++) {
          groups[g] = database.backend().prepareInsert(c, multiRowSql(sql, groupRows[g]));
        }
        if (numbered) {
          made.lastId = c.prepareStatement("SELECT max(id) FROM " + type.kind().table);
        } else {
          made.nextId = maxId(c, type.kind().table) + 1;
        }
      } catch (SQLException | RuntimeException e) {
        made.close();
        throw e;
      }
      insert = made;
      inserts.put(type, insert);
    } else if (!numbered && insert.nextId <= 0) {
      insert.nextId = maxId(c, type.kind().table) + 1;
    }
    // the id, when bound, is each row's last parameter
    int bound = numbered ? insert.parameters : insert.parameters - 1;
    int n = rows.size();
    int i = 0;
    // groups through the multi-row statements, largest first: a row's parameters bound one after the
    // other in one execution, so the driver and SQLite start one statement per group instead of per row
    for (int g = 0; g < insert.groups.length; g++) {
      int size = insert.groupRows[g];
      if (n - i < size) {
        continue;
      }
      PreparedStatement statement = insert.groups[g];
      for (; n - i >= size; i += size) {
        for (int j = 0; j < size; j++) {
          int at = j * insert.parameters;
          type.bind(statement, at, rows.get(i + j));
          if (!numbered) {
            statement.setLong(at + bound + 1, insert.nextId + i + j);
          }
        }
        statement.addBatch();
      }
      statement.executeBatch();
    }
    if (i < n) {
      PreparedStatement s = insert.statement;
      for (; i < n; i++) {
        type.bind(s, 0, rows.get(i));
        if (!numbered) {
          s.setLong(bound + 1, insert.nextId + i);
        }
        s.addBatch();
      }
      s.executeBatch();
    }
    long firstId;
    if (numbered) {
      // the rows went in in order and nothing else inserts, so their ids are the last n
      try (ResultSet rs = insert.lastId.executeQuery()) {
        firstId = (rs.next() ? rs.getLong(1) : 0) - n + 1;
      }
    } else {
      firstId = insert.nextId;
      insert.nextId += n;
    }
    List<Object> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      out.add(type.withId(rows.get(k), firstId + k));
    }
    database.backend().afterInsert(c, type.kind(), firstId, firstId + n - 1);
    type.afterInsert(c, rows, prepared);
    return out;
  }

  /** The largest id stored: after a rollback the ids handed out were not used, so they are read from the table again. */
  private static long maxId(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(id) FROM " + table)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @SuppressWarnings("unchecked")
  private void publish(Table<?> type, List<Object> rows) {
    for (CommitListener listener : listeners) {
      listener.committed(type.kind(), (List<? extends StoredRecord>) (List<?>) rows);
    }
  }

  /** Binds a possibly-null string. */
  public static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }

  private static void fail(List<Pending> batches, Exception cause) {
    for (Pending p : batches) {
      p.committed.completeExceptionally(cause);
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
