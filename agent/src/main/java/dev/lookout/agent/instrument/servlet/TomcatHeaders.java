package dev.lookout.agent.instrument.servlet;

import dev.lookout.agent.bootstrap.ContainerHeaders;
import dev.lookout.agent.bootstrap.HeaderPairs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.RequestFacade;
import org.apache.catalina.connector.Response;
import org.apache.catalina.connector.ResponseFacade;
import org.apache.tomcat.util.http.MimeHeaders;

/**
 * Tomcat 9 to 11: the header fields of a servlet request or response, read from Tomcat's own
 * {@code MimeHeaders}. {@code getHeaderNames()} and {@code getHeaders(name)} build a list of the names
 * and a set per name from those same headers. The servlet API objects are Tomcat's facades, whose
 * connector request and response are protected fields: read through method handles made once, which
 * the JIT inlines like a field read. Only Tomcat's own types are named, none of the servlet API's, so
 * one class serves javax and jakarta Tomcat alike. A helper: defined in the loader of Tomcat's
 * connector classes when {@code Http11Processor} is woven ({@link ContainerInstrumentation}), and found
 * there by {@link ContainerHeaders}; the agent's own loader never links it.
 */
public final class TomcatHeaders extends ContainerHeaders {

  static final String REQUEST = "org.apache.catalina.connector.RequestFacade";
  static final String RESPONSE = "org.apache.catalina.connector.ResponseFacade";

  private static final MethodHandle CONNECTOR_REQUEST = getter(RequestFacade.class, "request");
  private static final MethodHandle CONNECTOR_RESPONSE = getter(ResponseFacade.class, "response");

  private static MethodHandle getter(Class<?> facade, String field) {
    try {
      Field f = facade.getDeclaredField(field);
      f.setAccessible(true);
      return MethodHandles.lookup().unreflectGetter(f);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // a Tomcat without the field: this class fails to initialize and the servlet API answers
      throw new IllegalStateException("no " + field + " in " + facade.getName(), e);
    }
  }

  @Override
  protected void fields(Object requestOrResponse, HeaderPairs pairs) {
    MimeHeaders headers;
    try {
      headers = requestOrResponse instanceof ResponseFacade
          ? ((Response) CONNECTOR_RESPONSE.invokeExact((ResponseFacade) requestOrResponse)).getCoyoteResponse()
              .getMimeHeaders()
          : ((Request) CONNECTOR_REQUEST.invokeExact((RequestFacade) requestOrResponse)).getCoyoteRequest()
              .getMimeHeaders();
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    for (int i = 0, n = headers.size(); i < n; i++) {
      pairs.add(headers.getName(i).toString(), headers.getValue(i).toString());
    }
  }
}
