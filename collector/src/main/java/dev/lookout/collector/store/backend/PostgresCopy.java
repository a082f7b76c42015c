package dev.lookout.collector.store.backend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * The writer's batch of one row type sent with {@code COPY … FROM STDIN} (text format) instead of
 * INSERTs: the server parses and plans no statement per rows, which is most of what multi-row
 * INSERTs cost it. It looks like the INSERT's {@link PreparedStatement} to the row types, which bind
 * parameters as usual (strings, whole numbers, doubles, bytes, NULL); each {@code addBatch} ends a
 * line, {@code executeBatch} sends them all in the writer's transaction. A parameter setter it does
 * not know fails loudly, so nothing is ever stored half-bound.
 */
final class PostgresCopy implements InvocationHandler {

  private static final Pattern INSERT = Pattern.compile(
      "INSERT INTO (\\w+) \\(([\\w, ]+)\\) VALUES \\((\\?(?:,\\s*\\?)*)\\)");

  private final Connection connection;
  private final String copySql;
  private final String[] fields;
  private final StringBuilder lines = new StringBuilder(1 << 16);
  private int rows;

  private PostgresCopy(Connection connection, String copySql, int columns) {
    this.connection = connection;
    this.copySql = copySql;
    this.fields = new String[columns];
  }

  /**
   * A statement copying into the table and columns of {@code insertSql}, an
   * {@code INSERT INTO t (a, b, …) VALUES (?, ?, …)} whose parameters are its columns in order.
   */
  static PreparedStatement prepare(Connection c, String insertSql) {
    Matcher m = INSERT.matcher(insertSql);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a plain INSERT of one row of parameters: " + insertSql);
    }
    int columns = m.group(2).split(",").length;
    if (columns != m.group(3).split(",").length) {
      throw new IllegalArgumentException("columns and parameters differ in number: " + insertSql);
    }
    String sql = "COPY " + m.group(1) + " (" + m.group(2) + ") FROM STDIN";
    return (PreparedStatement) Proxy.newProxyInstance(PostgresCopy.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, new PostgresCopy(c, sql, columns));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "setString" -> set(args[0], args[1] == null ? null : escape((String) args[1]));
      case "setInt", "setLong", "setShort" -> set(args[0], args[1].toString());
      case "setDouble" -> set(args[0], doubleText((Double) args[1]));
      case "setBoolean" -> set(args[0], ((Boolean) args[1]) ? "t" : "f");
      case "setBytes" -> set(args[0], args[1] == null ? null : "\\\\x" + HexFormat.of().formatHex((byte[]) args[1]));
      case "setNull" -> set(args[0], null);
      case "addBatch" -> addBatch();
      case "executeBatch" -> {
        return executeBatch();
      }
      case "clearBatch", "clearParameters" -> clear(method.getName().equals("clearBatch"));
      case "close" -> clear(true);
      case "isClosed" -> {
        return false;
      }
      case "unwrap" -> throw new SQLException("a COPY statement wraps nothing");
      case "isWrapperFor" -> {
        return false;
      }
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "equals" -> {
        return proxy == args[0];
      }
      case "toString" -> {
        return copySql;
      }
      default -> throw new SQLException("a COPY statement cannot " + method.getName() + " (" + copySql + ")");
    }
    return null;
  }

  private void set(Object index, String text) throws SQLException {
    int i = (Integer) index;
    if (i < 1 || i > fields.length) {
      throw new SQLException("parameter " + i + " out of 1.." + fields.length + " (" + copySql + ")");
    }
    fields[i - 1] = text == null ? "\\N" : text;
  }

  private void addBatch() throws SQLException {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i] == null) {
        throw new SQLException("parameter " + (i + 1) + " not set (" + copySql + ")");
      }
      lines.append(i == 0 ? "" : "\t").append(fields[i]);
    }
    lines.append('\n');
    rows++;
    Arrays.fill(fields, null);
  }

  private int[] executeBatch() throws SQLException {
    if (rows == 0) {
      return new int[0];
    }
    byte[] data = lines.toString().getBytes(StandardCharsets.UTF_8);
    int sent = rows;
    clear(true);
    try {
      long copied = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, new ByteArrayInputStream(data));
      if (copied != sent) {
        throw new SQLException("COPY stored " + copied + " of " + sent + " rows (" + copySql + ")");
      }
    } catch (IOException e) {
      throw new SQLException("COPY failed: " + e.getMessage(), e);
    }
    int[] counts = new int[sent];
    Arrays.fill(counts, 1);
    return counts;
  }

  private void clear(boolean batch) {
    Arrays.fill(fields, null);
    if (batch) {
      lines.setLength(0);
      rows = 0;
    }
  }

  /** Text-format COPY escapes: backslash, and the tab, newline and carriage return that delimit. */
  static String escape(String s) {
    int i = 0;
    while (i < s.length() && "\\\t\n\r".indexOf(s.charAt(i)) < 0) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }

  /** PostgreSQL's spelling of the values float8 accepts. */
  private static String doubleText(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    return Double.toString(d);
  }
}
