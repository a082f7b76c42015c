package dev.lookout.collector.api;

import dev.lookout.collector.store.LogEntryRecord;
import dev.lookout.collector.store.StorableText;
import dev.lookout.collector.store.query.LogQuery;
import dev.lookout.collector.store.query.RequestQuery;


import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns query parameters into validated queries; every mistake is a 400 naming the parameter. */
final class QueryParams {

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
      "TRACE", "CONNECT");
  private static final Pattern STATUS_CLASS = Pattern.compile("[1-5]xx", Pattern.CASE_INSENSITIVE);
  private static final int MAX_BUCKETS = 240;
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
  private static final int MAX_TEXT = 1000;

  private QueryParams() {}

  static RequestQuery requests(Context ctx) {
    String method = text(ctx, "method");
    if (method != null) {
      method = method.toUpperCase(Locale.ROOT);
      if (!METHODS.contains(method)) {
        throw new BadRequestException("bad parameter 'method': unknown HTTP method '" + ctx.queryParam("method") + "'");
      }
    }
    Integer status = null;
    Integer statusClass = null;
    String s = text(ctx, "status");
    if (s != null) {
      if (STATUS_CLASS.matcher(s).matches()) {
        statusClass = s.charAt(0) - '0';
      } else {
        status = (int) number("status", s, 100, 599);
      }
    }
    String pathGlob = null;
    Pattern pathRegex = null;
    String path = text(ctx, "path");
    if (path != null) {
      if (path.startsWith("regex:")) {
        try {
          pathRegex = Pattern.compile(path.substring("regex:".length()));
        } catch (PatternSyntaxException e) {
          throw new BadRequestException("bad parameter 'path': invalid regex: " + e.getDescription());
        }
      } else {
        pathGlob = path;
      }
    }
    Double minDuration = null;
    String md = text(ctx, "minDurationMs");
    if (md != null) {
      try {
        minDuration = Double.parseDouble(md);
      } catch (NumberFormatException e) {
        throw new BadRequestException("bad parameter 'minDurationMs': not a number: '" + md + "'");
      }
      if (minDuration < 0 || minDuration.isNaN() || minDuration.isInfinite()) {
        throw new BadRequestException("bad parameter 'minDurationMs': must be a finite number >= 0");
      }
    }
    Long[] range = timeRange(ctx);
    return new RequestQuery(text(ctx, "service"), method, status, statusClass, pathGlob, pathRegex, text(ctx, "q"),
        range[0], range[1], minDuration, limit(ctx), cursor(ctx));
  }

  static LogQuery logs(Context ctx) {
    Integer level = null;
    String l = text(ctx, "level");
    if (l != null) {
      level = LogEntryRecord.levelOf(l);
      if (level < 0) {
        throw new BadRequestException("bad parameter 'level': use TRACE, DEBUG, INFO, WARN or ERROR");
      }
    }
    Long[] range = timeRange(ctx);
    return new LogQuery(text(ctx, "service"), level, text(ctx, "q"), traceId(ctx, "traceId"), range[0], range[1],
        limit(ctx), cursor(ctx));
  }

  /** {@code from} and {@code to} in epoch milliseconds, from not after to. */
  static Long[] timeRange(Context ctx) {
    Long from = time(ctx, "from");
    Long to = time(ctx, "to");
    if (from != null && to != null && from > to) {
      throw new BadRequestException("bad parameter 'from': later than 'to'");
    }
    return new Long[] {from, to};
  }

  static int limit(Context ctx) {
    String limitText = text(ctx, "limit");
    return limitText == null ? RequestQuery.DEFAULT_LIMIT : (int) number("limit", limitText, 1, RequestQuery.MAX_LIMIT);
  }

  /** {@code buckets}: how many slices of the time range a histogram has (null: no histogram). */
  static Integer buckets(Context ctx) {
    String v = text(ctx, "buckets");
    return v == null ? null : (int) number("buckets", v, 1, MAX_BUCKETS);
  }

  static String traceId(Context ctx, String name) {
    String v = text(ctx, name);
    if (v != null && !TRACE_ID.matcher(v).matches()) {
      throw new BadRequestException("bad parameter '" + name + "': a trace id is 32 lower-case hex digits");
    }
    return v;
  }

  static String spanId(Context ctx) {
    String v = text(ctx, "spanId");
    if (v != null && !SPAN_ID.matcher(v).matches()) {
      throw new BadRequestException("bad parameter 'spanId': a span id is 16 lower-case hex digits");
    }
    return v;
  }

  static String validTraceId(String value) {
    if (!TRACE_ID.matcher(value).matches()) {
      throw new BadRequestException("bad parameter 'traceId': a trace id is 32 lower-case hex digits");
    }
    return value;
  }

  static String encodeCursor(RequestQuery.Cursor cursor) {
    if (cursor == null) {
      return null;
    }
    String raw = cursor.startTime() + ":" + cursor.id();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
  }

  private static RequestQuery.Cursor cursor(Context ctx) {
    String c = text(ctx, "cursor");
    if (c == null) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(c), StandardCharsets.US_ASCII);
      int colon = raw.indexOf(':');
      return new RequestQuery.Cursor(Long.parseLong(raw.substring(0, colon)), Long.parseLong(raw.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new BadRequestException("bad parameter 'cursor': not a cursor this API returned");
    }
  }

  static String text(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    if (v.length() > MAX_TEXT) {
      throw new BadRequestException("bad parameter '" + name + "': longer than " + MAX_TEXT + " characters");
    }
    return StorableText.of(v.trim()); // as stored: a NUL in a value was stored as U+FFFD
  }

  static Long time(Context ctx, String name) {
    String v = text(ctx, name);
    return v == null ? null : number(name, v, 0, Long.MAX_VALUE);
  }

  private static long number(String name, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new BadRequestException("bad parameter '" + name + "': not a whole number: '" + value + "'");
    }
    if (n < min || n > max) {
      throw new BadRequestException("bad parameter '" + name + "': must be between " + min + " and " + max);
    }
    return n;
  }
}
