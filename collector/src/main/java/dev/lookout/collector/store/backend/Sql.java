package dev.lookout.collector.store.backend;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A statement and its arguments, built up clause by clause. */
public final class Sql {
  private final StringBuilder text;
  private final List<Object> args = new ArrayList<>();

  public Sql(String start, Object... startArgs) {
    text = new StringBuilder(start);
    args.addAll(Arrays.asList(startArgs));
  }

  /** Appends {@code clause} only when its (first) value is not null. */
  public Sql where(String clause, Object... values) {
    if (values.length > 0 && values[0] != null) {
      append(clause, values);
    }
    return this;
  }

  public Sql append(String clause, Object... values) {
    text.append(clause);
    args.addAll(Arrays.asList(values));
    return this;
  }

  /** Appends another statement fragment with its arguments. */
  public Sql append(Sql other) {
    text.append(other.text);
    args.addAll(other.args);
    return this;
  }

  public <T> List<T> query(Connection c, RowReader<T> reader) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(text.toString())) {
      for (int i = 0; i < args.size(); i++) {
        s.setObject(i + 1, args.get(i));
      }
      List<T> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(reader.read(rs));
        }
      }
      return out;
    }
  }

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }
}
