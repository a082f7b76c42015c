package dev.lookout.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipCompressorTest {

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /** Spans-like input: the same keys over and over, and random ids that do not compress. */
  private static byte[] batch(long seed, int spans) {
    Random random = new Random(seed);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < spans; i++) {
      byte[] id = new byte[24];
      random.nextBytes(id);
      b.writeBytes(id);
      b.writeBytes(("http.request.header.host 127.0.0.1:8080 http.response.header.date Mon, 07 Dec 2026 05:"
          + (i % 60) + " GMT url.path /hello/" + i).getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  private static byte[] compress(GzipCompressor gzip, byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream zipped = gzip.compress(out)) {
      zipped.write(body, 0, body.length);
    }
    return out.toByteArray();
  }

  @Test
  void aBatchComesBackWholeFromTheJdksGunzipAndSmaller() throws IOException {
    GzipCompressor gzip = new GzipCompressor();
    assertThat(gzip.getEncoding()).isEqualTo("gzip");
    byte[] body = batch(1, 3000); // ~400 KB: many deflate chunks
    byte[] gz = compress(gzip, body);
    assertThat(gunzip(gz)).isEqualTo(body);
    assertThat(gz.length).isLessThan(body.length / 2);
  }

  @Test
  void theKeptDeflaterStartsEveryBatchAfresh() throws IOException {
    GzipCompressor gzip = new GzipCompressor();
    byte[] first = batch(1, 500);
    byte[] second = batch(2, 20);
    byte[] gzFirst = compress(gzip, first);
    byte[] gzSecond = compress(gzip, second);
    assertThat(gunzip(gzFirst)).isEqualTo(first);
    assertThat(gunzip(gzSecond)).isEqualTo(second); // no back-reference into the first batch, right length and CRC
    assertThat(gunzip(compress(gzip, new byte[0]))).isEmpty();
  }

  @Test
  void twoStreamsAtOnceEachGetTheirOwnDeflater() throws IOException {
    GzipCompressor gzip = new GzipCompressor();
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] bodyA = batch(3, 200);
    byte[] bodyB = batch(4, 200);
    try (OutputStream zippedA = gzip.compress(a); OutputStream zippedB = gzip.compress(b)) {
      zippedA.write(bodyA, 0, 1000);
      zippedB.write(bodyB, 0, bodyB.length);
      zippedA.write(bodyA, 1000, bodyA.length - 1000 - 1);
      zippedA.write(bodyA[bodyA.length - 1]);
    }
    assertThat(gunzip(a.toByteArray())).isEqualTo(bodyA);
    assertThat(gunzip(b.toByteArray())).isEqualTo(bodyB);
  }
}
