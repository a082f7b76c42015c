package dev.lookout.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceContextMapTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN = "00f067aa0ba902b7";

  private static Map<String, String> expected(Map<String, String> base) {
    Map<String, String> m = new HashMap<>(base);
    m.put("trace_id", TRACE);
    m.put("span_id", SPAN);
    return m;
  }

  @Test
  void isTheEventsMapWithTheIdsInIt() {
    Map<String, String> base = Map.of("user", "ada", "span_id", "stale");
    Map<String, String> map = TraceContextMap.of(base, TRACE, SPAN);
    assertThat(map.get("trace_id")).isEqualTo(TRACE);
    assertThat(map.get("span_id")).isEqualTo(SPAN);
    assertThat(map.get("user")).isEqualTo("ada");
    assertThat(map.get("other")).isNull();
    assertThat(map.containsKey("trace_id")).isTrue();
    assertThat(map.containsKey("user")).isTrue();
    assertThat(map.containsKey("other")).isFalse();
    assertThat(map).hasSize(3).isEqualTo(expected(base));
    assertThat(map.hashCode()).isEqualTo(expected(base).hashCode());
    assertThat(map.entrySet()).containsExactlyInAnyOrderElementsOf(expected(base).entrySet());
  }

  @Test
  void anEventWithoutAMapGetsTheIdsAlone() {
    Map<String, String> map = TraceContextMap.of(null, TRACE, SPAN);
    assertThat(map).isEqualTo(Map.of("trace_id", TRACE, "span_id", SPAN)).isNotEmpty();
  }

  @Test
  void isReadOnlyAsLogbacksOwnMapsAre() {
    Map<String, String> map = TraceContextMap.of(Map.of("user", "ada"), TRACE, SPAN);
    assertThatThrownBy(() -> map.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.entrySet().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void isSerializedAsAPlainMap() throws Exception {
    Map<String, String> map = TraceContextMap.of(Map.of("user", "ada"), TRACE, SPAN);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(map);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Object read = in.readObject();
      assertThat(read).isInstanceOf(HashMap.class).isEqualTo(expected(Map.of("user", "ada")));
    }
  }

  @Test
  void aLookupOfAnIdCopiesNothing() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    Map<String, String> base = new HashMap<>(Map.of("user", "ada"));
    String trace = null;
    String user = null;
    for (int i = 0; i < 3; i++) { // the first rounds load and link what the calls use
      long before = threads.getThreadAllocatedBytes(self);
      Map<String, String> map = TraceContextMap.of(base, TRACE, SPAN);
      trace = map.get("trace_id");
      user = map.get("user");
      long allocated = threads.getThreadAllocatedBytes(self) - before;
      if (i == 2) {
        // the map itself: a header, its four references and AbstractMap's two; a copy into a HashMap was ~190 B
        assertThat(allocated).isLessThanOrEqualTo(40);
      }
    }
    assertThat(trace).isEqualTo(TRACE);
    assertThat(user).isEqualTo("ada");
  }
}
