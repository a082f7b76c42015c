package dev.lookout.agent.redact;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Masks configured secrets before anything leaves the application JVM: header values by header name
 * ({@code lookout.redact.headers}) and query or form parameters, also inside JSON bodies, by
 * parameter name ({@code lookout.redact.params}). Names compare case-insensitively.
 */
public final class Redactor {

  public static final String MASK = "***";
  /**
   * Always masked unless {@code lookout.redact.headers} starts with {@code =!} (the configured names add to
   * these): credentials and the common token, session and CSRF headers.
   */
  public static final String DEFAULT_HEADERS = "authorization,cookie,set-cookie,proxy-authorization,x-api-key,"
      + "x-auth-token,x-csrf-token,x-xsrf-token,x-amz-security-token,x-goog-iap-jwt-assertion,"
      + "x-forwarded-authorization,x-access-token,x-refresh-token,x-session-token,x-api-token,api-key";
  public static final String DEFAULT_PARAMS = "password,passwd,secret,token,access_token,api_key";

  private final Set<String> headers;
  private final Set<String> params;
  private final MessageRedactor messages;
  private final JsonFieldRedactor json;

  public Redactor(String headerList, String paramList) {
    this.headers = names(headerList);
    this.params = names(paramList);
    this.messages = new MessageRedactor(headers, params);
    this.json = new JsonFieldRedactor(params);
  }

  private static Set<String> names(String list) {
    return Arrays.stream(list.split(","))
        .map(s -> s.trim().toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  public boolean isSecretHeader(String name) {
    return headers.contains(name.toLowerCase(Locale.ROOT));
  }

  public boolean isSecretParam(String name) {
    return params.contains(name.toLowerCase(Locale.ROOT));
  }

  public String header(String name, String value) {
    return isSecretHeader(name) ? MASK : value;
  }

  /** {@code a=1&password=x} → {@code a=1&password=***}; names are compared URL-decoded. */
  public String query(String query) {
    if (query == null || query.isEmpty() || params.isEmpty()) {
      return query;
    }
    StringBuilder out = null;
    int start = 0;
    while (start <= query.length()) {
      int amp = query.indexOf('&', start);
      int end = amp < 0 ? query.length() : amp;
      int eq = query.indexOf('=', start);
      if (eq > start && eq < end && isSecretParam(decode(query.substring(start, eq)))) {
        if (out == null) {
          out = new StringBuilder(query.length()).append(query, 0, start);
        }
        out.append(query, start, eq + 1).append(MASK);
      } else if (out != null) {
        out.append(query, start, end);
      }
      if (amp < 0) {
        break;
      }
      if (out != null) {
        out.append('&');
      }
      start = amp + 1;
    }
    return out == null ? query : out.toString();
  }

  /** A form body ({@code application/x-www-form-urlencoded}) has the syntax of a query. */
  public String form(String body) {
    return query(body);
  }

  /** Secret fields of a JSON body, at any depth, also when the body was cut off. */
  public String json(String body) {
    return json.redact(body);
  }

  /**
   * Free text (log and exception messages, stack traces, other text bodies): secrets written as
   * {@code name=value}, {@code name: value}, {@code "name":"value"} or {@code <name>value</name>}
   * for the configured names, and bearer / basic credentials.
   */
  public String message(String text) {
    return messages.redact(text);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
