package dev.lookout.collector.store.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer's statements made from a table's INSERT: with the id left out (SQLite numbers rows), and repeated per row. */
class InsertSqlTest {

  @Test
  void everyTableLosesExactlyItsIdColumnAndParameter() {
    for (Table<?> table : List.of(new RequestTable(), new LogTable(), new ExceptionTable(), new IoTable())) {
      String sql = table.insertSql();
      String without = StoreWriter.withoutId(sql);
      assertThat(without).doesNotContain(", id)").startsWith("INSERT INTO " + table.kind().table + " (");
      assertThat(count(without, '?')).isEqualTo(count(sql, '?') - 1);
      assertThat(count(without.substring(0, without.indexOf(" VALUES")), ',')).isEqualTo(count(without, '?') - 1);
    }
    assertThat(StoreWriter.withoutId("INSERT INTO t (a, b, id) VALUES (?,?,?)")).isEqualTo("INSERT INTO t (a, b) VALUES (?,?)");
    assertThatThrownBy(() -> StoreWriter.withoutId("INSERT INTO t (id, a) VALUES (?,?)"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void multiRowRepeatsTheValues() {
    assertThat(StoreWriter.multiRowSql("INSERT INTO t (a, b) VALUES (?,?)", 3))
        .isEqualTo("INSERT INTO t (a, b) VALUES (?,?),(?,?),(?,?)");
  }

  private static long count(String s, char c) {
    return s.chars().filter(ch -> ch == c).count();
  }
}
