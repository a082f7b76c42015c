package dev.lookout.collector.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/** Reads an OTLP request body within the size limit, decompressing gzip on the way. */
final class OtlpBody {

  /** The body (after decompression) is larger than {@code --max-body}. */
  static final class TooLargeException extends IOException {
    TooLargeException(long limit) {
      super("request body exceeds the limit of " + limit + " bytes (after decompression)");
    }
  }

  /** A Content-Encoding this receiver does not speak. */
  static final class UnsupportedEncodingException extends IOException {
    UnsupportedEncodingException(String encoding) {
      super("unsupported Content-Encoding '" + encoding + "' (use gzip or none)");
    }
  }

  private OtlpBody() {}

  /**
   * The decoded body. {@code contentLength} (-1 when unknown) sizes the buffer: a plain body is read
   * straight into an array of its size, since growing and copying a buffer was over a third of
   * everything ingest allocated.
   */
  static byte[] read(InputStream raw, String contentEncoding, long contentLength, long limit) throws IOException {
    InputStream in = raw;
    boolean gzip = false;
    if (contentEncoding != null && !contentEncoding.isBlank()) {
      String enc = contentEncoding.trim().toLowerCase(Locale.ROOT);
      if (enc.equals("gzip") || enc.equals("x-gzip")) {
        in = new GZIPInputStream(raw, 8192);
        gzip = true;
      } else if (!enc.equals("identity")) {
        throw new UnsupportedEncodingException(contentEncoding);
      }
    }
    if (!gzip && contentLength >= 0) {
      if (contentLength > limit) {
        throw new TooLargeException(limit);
      }
      byte[] body = new byte[(int) contentLength];
      for (int off = 0, n; off < body.length; off += n) {
        n = in.read(body, off, body.length - off);
        if (n < 0) {
          throw new java.io.EOFException("request body ended after " + off + " of " + contentLength + " bytes");
        }
      }
      return body;
    }
    // OTLP protobuf compresses about four to one: start there, grow when it was more.
    int guess = (int) Math.min(limit, Math.max(8192, contentLength >= 0 ? contentLength * 4 : 8192));
    ByteArrayOutputStream out = new ByteArrayOutputStream(guess);
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > limit) {
        throw new TooLargeException(limit);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * Reads and drops what is left of a refused body, at most {@code limit} bytes, so that the answer reaches
   * the client before the connection closes. A body longer than that is cut off.
   */
  static void drain(io.javalin.http.Context ctx, long limit) {
    try {
      InputStream in = ctx.bodyInputStream();
      byte[] sink = new byte[8192];
      for (long left = limit, n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) != -1; ) {
        left -= n;
      }
    } catch (IOException | RuntimeException ignored) {
      // the client went away or the stream is spent: nothing left to read
    }
  }
}
