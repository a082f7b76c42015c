package dev.lookout.collector.store.write;

import dev.lookout.collector.store.StoredRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of one OTLP request, of any kinds, committed together or not at all. */
public final class WriteBatch {

  private final Map<Table<?>, List<?>> rows = new LinkedHashMap<>();
  private int size;
  private Map<Table<?>, Object> prepared;

  public <T extends StoredRecord> WriteBatch add(Table<T> type, T row) {
    rowsOf(type).add(row);
    size++;
    return this;
  }

  public <T extends StoredRecord> WriteBatch addAll(Table<T> type, List<T> list) {
    rowsOf(type).addAll(list);
    size += list.size();
    return this;
  }

  @SuppressWarnings("unchecked")
  <T extends StoredRecord> List<T> rowsOf(Table<T> type) {
    return (List<T>) rows.computeIfAbsent(type, t -> new ArrayList<>());
  }

  Iterable<Table<?>> types() {
    return rows.keySet();
  }

  /** Runs each type's {@link Table#prepare} on its rows; called once, on the submitting thread. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void prepare() {
    for (Map.Entry<Table<?>, List<?>> e : rows.entrySet()) {
      Object p = ((Table) e.getKey()).prepare(e.getValue());
      if (p != null) {
        if (prepared == null) {
          prepared = new HashMap<>();
        }
        prepared.put(e.getKey(), p);
      }
    }
  }

  /** What {@link #prepare} made of this batch's rows of {@code type}, or null. */
  Object preparedFor(Table<?> type) {
    return prepared == null ? null : prepared.get(type);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }
}
