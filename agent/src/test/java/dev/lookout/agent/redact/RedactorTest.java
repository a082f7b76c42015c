package dev.lookout.agent.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

  private final Redactor redactor = new Redactor(Redactor.DEFAULT_HEADERS + ",x-custom-secret", Redactor.DEFAULT_PARAMS);

  @Test
  void formFieldsAreMaskedByNameAndTheRestIsKept() {
    assertThat(redactor.form("user=alice&password=hunter2&Token=abc%20def&note=x"))
        .isEqualTo("user=alice&password=***&Token=***&note=x");
  }

  @Test
  void jsonFieldsAreMaskedAtAnyDepthWhateverTheirValue() {
    String json = "{\"user\":\"alice\",\"password\":\"hu\\\"nter2\",\"nested\":{\"api_key\":12345,"
        + "\"list\":[{\"secret\":[\"a\",\"b\"]}]},\"token\" : {\"x\":\"y\"},\"note\":\"password\"}";
    assertThat(redactor.json(json)).isEqualTo("{\"user\":\"alice\",\"password\":\"***\",\"nested\":{\"api_key\":\"***\","
        + "\"list\":[{\"secret\":\"***\"}]},\"token\" : \"***\",\"note\":\"password\"}");
  }

  @Test
  void aJsonValueCutOffAtTheCapIsMaskedToo() {
    assertThat(redactor.json("{\"user\":\"alice\",\"password\":\"hunt")).isEqualTo("{\"user\":\"alice\",\"password\":\"***\"");
    assertThat(redactor.json("{\"token\":[\"abc\",\"de")).isEqualTo("{\"token\":\"***\"");
  }

  @Test
  void messagesLoseSecretsWrittenInTheUsualShapes() {
    assertThat(redactor.message("login failed for alice with password=hunter2, retry"))
        .isEqualTo("login failed for alice with password=***, retry");
    assertThat(redactor.message("config {\"api_key\": \"k-123\", \"region\": \"eu\"}"))
        .isEqualTo("config {\"api_key\": \"***\", \"region\": \"eu\"}");
    assertThat(redactor.message("token: abc.def and access_token=xyz&x=1"))
        .isEqualTo("token: *** and access_token=***&x=1");
    assertThat(redactor.message("rejected; Authorization: Bearer abc.def\nnext line"))
        .isEqualTo("rejected; Authorization: ***\nnext line");
    assertThat(redactor.message("X-Custom-Secret=s3cr3t")).isEqualTo("X-Custom-Secret=***");
    assertThat(redactor.message("sent bearer eyJhbGciOi.payload.sig to upstream"))
        .isEqualTo("sent bearer *** to upstream");
    assertThat(redactor.message("<login><user>alice</user><password>hunter2</password></login>"))
        .isEqualTo("<login><user>alice</user><password>***</password></login>");
  }

  @Test
  void longValuesDoNotExhaustTheRegexEngine() {
    String filler = "x".repeat(200_000);
    assertThat(redactor.json("{\"password\":\"pw\",\"filler\":\"" + filler))
        .isEqualTo("{\"password\":\"***\",\"filler\":\"" + filler);
    assertThat(redactor.json("{\"token\":\"" + filler + "\"}")).isEqualTo("{\"token\":\"***\"}");
    assertThat(redactor.message("secret=\"" + filler + "\" and more")).isEqualTo("secret=\"***\" and more");
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    String text = "passwordless login for alice took 12 ms; token bucket refilled";
    assertThat(redactor.message(text)).isSameAs(text);
    assertThat(redactor.json("{\"a\":1}")).isEqualTo("{\"a\":1}");
  }
}
