package dev.lookout.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.agent.redact.Redactor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyTextTest {

  private final Redactor redactor = new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_PARAMS);

  @Test
  void keepsNoMoreThanTheCapButCountsEverything() {
    BodyTee tee = new BodyTee(8);
    byte[] chunk = "0123456789".getBytes(StandardCharsets.US_ASCII);
    tee.add(chunk, 0, 10);
    tee.add(chunk, 2, 5);
    tee.add('x');
    assertThat(new String(tee.captured(), StandardCharsets.US_ASCII)).isEqualTo("01234567");
    assertThat(tee.total()).isEqualTo(16);
    assertThat(BodyText.render(tee, "text/plain", redactor)).isEqualTo("01234567\n[truncated: 16 bytes in total]");
  }

  @Test
  void readsByteBuffersWithoutMovingThem() {
    BodyTee tee = new BodyTee(100);
    ByteBuffer buffer = ByteBuffer.wrap("abcdef".getBytes(StandardCharsets.US_ASCII));
    buffer.position(4);
    tee.add(buffer, 1);
    assertThat(buffer.position()).isEqualTo(4);
    assertThat(new String(tee.captured(), StandardCharsets.US_ASCII)).isEqualTo("bcd");
  }

  @Test
  void writerCharactersAreKeptWholeAsUtf8() {
    BodyTee tee = new BodyTee(7);
    tee.add("añ€😀zz", null, 0, 6);
    // a(1) ñ(2) €(3) fill 6 bytes; the 4-byte emoji does not fit whole and is not cut in half.
    assertThat(new String(tee.captured(), StandardCharsets.UTF_8)).isEqualTo("añ€");
    assertThat(BodyText.render(tee, "text/html;charset=ISO-8859-1", redactor)).startsWith("añ€\n[truncated:");
  }

  @Test
  void theOutermostCallAloneRecords() {
    BodyTee tee = new BodyTee(100);
    assertThat(tee.enter()).isSameAs(tee);
    assertThat(tee.enter()).isNull();
    tee.leave();
    assertThat(tee.enter()).isSameAs(tee);
  }

  @Test
  void formAndJsonBodiesAreRedactedAndBinaryOnlyNoted() {
    assertThat(render("user=alice&password=hunter2", "application/x-www-form-urlencoded"))
        .isEqualTo("user=alice&password=***");
    assertThat(render("{\"user\":\"alice\",\"token\":\"t-1\"}", "application/json; charset=utf-8"))
        .isEqualTo("{\"user\":\"alice\",\"token\":\"***\"}");
    assertThat(render("<a><secret>x</secret></a>", "application/soap+xml")).isEqualTo("<a><secret>***</secret></a>");
    // U+0089 is two bytes in UTF-8.
    assertThat(render("\u0089PNG....", "image/png")).isEqualTo("[image/png, 9 bytes, not captured]");
    assertThat(render("password=x", null)).isEqualTo("[no content type, 10 bytes, not captured]");
    assertThat(BodyText.render(new BodyTee(10), "text/plain", redactor)).isNull();
  }

  private String render(String body, String type) {
    BodyTee tee = new BodyTee(1024);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    tee.add(bytes, 0, bytes.length);
    return BodyText.render(tee, type, redactor);
  }
}
