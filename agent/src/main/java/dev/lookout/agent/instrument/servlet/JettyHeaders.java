package dev.lookout.agent.instrument.servlet;

import dev.lookout.agent.bootstrap.ContainerHeaders;
import dev.lookout.agent.bootstrap.HeaderPairs;
import org.eclipse.jetty.ee10.servlet.ServletApiRequest;
import org.eclipse.jetty.ee10.servlet.ServletApiResponse;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Jetty 12 (ee10): the header fields of a servlet request or response, read from Jetty's own field
 * list. {@code getHeaderNames()} and {@code getHeaders(name)} build a set and a list per name from that
 * same list: for the bench's {@code /hello}, reading the headers that way was 2.07 % of the request
 * thread's CPU, and 0.81 % this way (async-profiler). Jetty's own field lists are read by index: their
 * iterators were three objects per request. A helper: defined in the loader of
 * Jetty's servlet classes when {@code ServletChannel} is woven ({@link ContainerInstrumentation}), and
 * found there by {@link ContainerHeaders}; the agent's own loader never links it.
 */
public final class JettyHeaders extends ContainerHeaders {

  static final String REQUEST = "org.eclipse.jetty.ee10.servlet.ServletApiRequest";
  static final String RESPONSE = "org.eclipse.jetty.ee10.servlet.ServletApiResponse";

  /** Jetty's field lists over an array (package-private classes: compared, never named). */
  private static final Class<?> IMMUTABLE = jettyClass("org.eclipse.jetty.http.ImmutableHttpFields");
  private static final Class<?> MUTABLE = jettyClass("org.eclipse.jetty.http.MutableHttpFields");

  private static Class<?> jettyClass(String name) {
    try {
      return Class.forName(name, false, HttpFields.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError notInThisJetty) {
      return null; // another Jetty 12: its fields are iterated
    }
  }

  @Override
  protected void fields(Object requestOrResponse, HeaderPairs pairs) {
    HttpFields fields = requestOrResponse instanceof ServletApiResponse
        ? ((ServletApiResponse) requestOrResponse).getResponse().getHeaders()
        : ((ServletApiRequest) requestOrResponse).getFields();
    while (fields instanceof HttpFields.Mutable.Wrapper) {
      // a response's (ResponseHttpFields, the servlet response's HttpFieldsWrapper): Jetty's wrappers
      // watch changes to the fields, reads go to the fields they wrap
      fields = ((HttpFields.Mutable.Wrapper) fields).getWrapped();
    }
    Class<?> type = fields.getClass();
    if (type == IMMUTABLE || type == MUTABLE) {
      // their fields are an array: read by index, without the iterator an enhanced for makes
      for (int i = 0, n = fields.size(); i < n; i++) {
        HttpField field = fields.getField(i);
        pairs.add(field.getName(), field.getValue());
      }
      return;
    }
    for (HttpField field : fields) {
      pairs.add(field.getName(), field.getValue());
    }
  }
}
