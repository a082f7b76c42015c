package dev.lookout.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ContainerHeadersTest {

  /** A container's response, with its own field list. */
  public static final class Response {
    final String[] fields;

    Response(String... fields) {
      this.fields = fields;
    }
  }

  /** Reads {@link Response}'s fields as a container's reader would. */
  public static final class ResponseReader extends ContainerHeaders {
    static int calls;

    @Override
    protected void fields(Object requestOrResponse, HeaderPairs pairs) {
      calls++;
      String[] fields = ((Response) requestOrResponse).fields;
      for (int i = 0; i < fields.length; i += 2) {
        pairs.add(fields[i], fields[i + 1]);
      }
    }
  }

  /** A container class whose reader fails half-way (a container version it does not fit). */
  public static final class Broken {}

  public static final class BrokenReader extends ContainerHeaders {
    static int calls;

    @Override
    protected void fields(Object requestOrResponse, HeaderPairs pairs) {
      calls++;
      pairs.add("server", "half");
      throw new IllegalStateException("not this version");
    }
  }

  /** A container class registered with a reader its loader does not hold. */
  public static final class Orphan {}

  private static String[] added(HeaderPairs pairs) {
    return Arrays.copyOf(pairs.pairs(), pairs.size());
  }

  @Test
  void aRegisteredContainerClassIsReadByItsReaderFoundInItsLoader() {
    ContainerHeaders.register(Response.class.getName(), ResponseReader.class.getName());
    HeaderPairs pairs = HeaderPairs.forThread();
    assertTrue(ContainerHeaders.read(new Response("Server", "Jetty", "Vary", "a", "Vary", "b"), pairs));
    assertArrayEquals(new String[] {"Server", "Jetty", "Vary", "a", "Vary", "b"}, added(pairs));
    pairs.clear();
    assertTrue(ContainerHeaders.read(new Response("Date", "today"), pairs));
    assertArrayEquals(new String[] {"Date", "today"}, added(pairs));
    assertEquals(2, ResponseReader.calls, "one reader, kept for the class");
    pairs.clear();
  }

  @Test
  void anyOtherClassIsLeftToTheServletApi() {
    HeaderPairs pairs = HeaderPairs.forThread();
    pairs.add("host", "example");
    assertFalse(ContainerHeaders.read("a wrapper of some kind", pairs));
    assertArrayEquals(new String[] {"host", "example"}, added(pairs));
    pairs.clear();
  }

  @Test
  void aReaderThatFailsLeavesThePairsAsTheyWereAndIsNotAskedAgain() {
    ContainerHeaders.register(Broken.class.getName(), BrokenReader.class.getName());
    HeaderPairs pairs = HeaderPairs.forThread();
    pairs.add("host", "example");
    assertFalse(ContainerHeaders.read(new Broken(), pairs));
    assertArrayEquals(new String[] {"host", "example"}, added(pairs));
    assertFalse(ContainerHeaders.read(new Broken(), pairs));
    assertEquals(1, BrokenReader.calls);
    pairs.clear();
  }

  @Test
  void aReaderItsContainersLoaderDoesNotHoldLeavesTheClassToTheServletApi() {
    ContainerHeaders.register(Orphan.class.getName(), "dev.lookout.agent.instrument.servlet.NoSuchReader");
    HeaderPairs pairs = HeaderPairs.forThread();
    assertFalse(ContainerHeaders.read(new Orphan(), pairs));
    assertFalse(ContainerHeaders.read(new Orphan(), pairs));
    assertEquals(0, pairs.size());
  }
}
