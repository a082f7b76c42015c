package dev.lookout.collector.store.backend;

/** How a table is searched by full text: its name, time column, full-text table and the columns to read. */
public record FullTextTarget(String table, String timeColumn, String ftsTable, String columns) {

  /** The columns as "t.a, t.b": the full-text table may have columns of the same names. */
  public String qualifiedColumns() {
    return "t." + String.join(", t.", columns.split(",\\s*"));
  }
}
