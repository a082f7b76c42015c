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

  static byte[] read(InputStream raw, String contentEncoding, long limit) throws IOException {
    InputStream in = raw;
    if (contentEncoding != null && !contentEncoding.isBlank()) {
      String enc = contentEncoding.trim().toLowerCase(Locale.ROOT);
      if (enc.equals("gzip") || enc.equals("x-gzip")) {
        in = new GZIPInputStream(raw, 8192);
      } else if (!enc.equals("identity")) {
        throw new UnsupportedEncodingException(contentEncoding);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
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
}
