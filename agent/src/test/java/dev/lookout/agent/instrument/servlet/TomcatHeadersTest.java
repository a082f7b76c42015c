package dev.lookout.agent.instrument.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lookout.agent.bootstrap.HeaderPairs;
import java.util.Arrays;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.junit.jupiter.api.Test;

/** Tomcat's real facades and connector objects, read through the facade's protected field. */
class TomcatHeadersTest {

  private static String[] added(HeaderPairs pairs) {
    return Arrays.copyOf(pairs.pairs(), pairs.size());
  }

  @Test
  void requestHeadersComeFromTheConnectorRequestBehindTheFacadeInArrivalOrder() {
    org.apache.coyote.Request coyote = new org.apache.coyote.Request();
    coyote.getMimeHeaders().addValue("Host").setString("example:8080");
    coyote.getMimeHeaders().addValue("X-Repeated").setString("one");
    coyote.getMimeHeaders().addValue("X-Repeated").setString("two");
    Request request = new Request(new Connector(), coyote);
    HeaderPairs pairs = HeaderPairs.forThread();
    new TomcatHeaders().fields(request.getRequest(), pairs);
    assertArrayEquals(new String[] {"Host", "example:8080", "X-Repeated", "one", "X-Repeated", "two"}, added(pairs));
    pairs.clear();
  }

  @Test
  void responseHeadersComeFromTheConnectorResponseBehindTheFacade() {
    org.apache.coyote.Response coyote = new org.apache.coyote.Response();
    Response response = new Response(coyote);
    response.setHeader("X-Sample-Filter", "yes");
    response.addHeader("Vary", "Origin");
    HeaderPairs pairs = HeaderPairs.forThread();
    new TomcatHeaders().fields(response.getResponse(), pairs);
    assertArrayEquals(new String[] {"X-Sample-Filter", "yes", "Vary", "Origin"}, added(pairs));
    pairs.clear();
  }
}
