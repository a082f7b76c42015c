package dev.lookout.agent.trace;

import dev.lookout.agent.redact.Redactor;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A captured body as the text that leaves the JVM: decoded in its declared charset and redacted
 * (form and JSON fields by name, free-text patterns on top); for content that is not text, only a
 * note of its type and size.
 */
final class BodyText {

  private BodyText() {}

  static String render(BodyTee tee, String contentType, Redactor redactor) {
    long total = tee.total();
    if (total == 0) {
      return null;
    }
    String type = mediaType(contentType);
    if (!isText(type)) {
      return "[" + (type.isEmpty() ? "no content type" : type) + ", " + total + " bytes, not captured]";
    }
    boolean truncated = tee.truncated();
    String text = decode(tee.captured(), tee.fromWriter() ? StandardCharsets.UTF_8 : charset(contentType));
    if (truncated && text.endsWith("\uFFFD")) {
      text = text.substring(0, text.length() - 1); // a character cut in half at the cap
    }
    if (type.equals("application/x-www-form-urlencoded")) {
      text = redactor.form(text);
    } else if (type.endsWith("json")) {
      text = redactor.json(text);
    }
    text = redactor.message(text);
    return truncated ? text + "\n[truncated: " + total + " bytes in total]" : text;
  }

  /** {@code text/*}, JSON, form and XML: the types whose bodies are kept as text. */
  static boolean isText(String type) {
    return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
        || type.equals("application/x-www-form-urlencoded") || type.equals("application/xml")
        || type.endsWith("+xml");
  }

  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  static Charset charset(String contentType) {
    int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
    if (at >= 0) {
      String name = contentType.substring(at + "charset=".length()).split("[;\\s]", 2)[0].replace("\"", "");
      try {
        return Charset.forName(name);
      } catch (RuntimeException unknown) {
        // fall through to UTF-8
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static String decode(byte[] bytes, Charset charset) {
    CharsetDecoder decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException impossible) {
      return new String(bytes, charset);
    }
  }
}
