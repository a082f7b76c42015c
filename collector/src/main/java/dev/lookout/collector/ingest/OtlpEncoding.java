package dev.lookout.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The two OTLP/HTTP encodings: binary protobuf and JSON. OTLP's JSON differs from protobuf's
 * canonical JSON in one way that matters here: trace and span ids are hex, not base64.
 */
enum OtlpEncoding {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> HEX_ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId",
      "trace_id", "span_id", "parent_span_id");
  private static final int MAX_JSON_DEPTH = 64;

  final String contentType;

  OtlpEncoding(String contentType) {
    this.contentType = contentType;
  }

  /** The encoding a Content-Type names, or null when it is neither. */
  static OtlpEncoding of(String contentType) {
    if (contentType == null) {
      return null;
    }
    String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    switch (base) {
      case "application/x-protobuf":
      case "application/protobuf":
        return PROTOBUF;
      case "application/json":
        return JSON;
      default:
        return null;
    }
  }

  /** Parses {@code body} into {@code builder}; a malformed body is an {@link InvalidProtocolBufferException}. */
  <B extends Message.Builder> B parse(byte[] body, B builder) throws InvalidProtocolBufferException {
    if (this == PROTOBUF) {
      builder.mergeFrom(body);
      return builder;
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidProtocolBufferException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidProtocolBufferException("malformed JSON: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidProtocolBufferException("malformed JSON: the body must be a JSON object");
    }
    hexIdsToBase64(tree, 0);
    JsonFormat.parser().ignoringUnknownFields().merge(tree.toString(), builder);
    return builder;
  }

  byte[] write(Message message) {
    if (this == PROTOBUF) {
      return message.toByteArray();
    }
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(message).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A {@code google.rpc.Status} (code, message) in this encoding, as OTLP asks for failures. */
  byte[] status(int grpcCode, String message) {
    if (this == JSON) {
      ObjectNode n = MAPPER.createObjectNode().put("code", grpcCode).put("message", message);
      return n.toString().getBytes(StandardCharsets.UTF_8);
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeInt32(1, grpcCode);
      out.writeString(2, message);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void hexIdsToBase64(JsonNode node, int depth) throws InvalidProtocolBufferException {
    if (depth > MAX_JSON_DEPTH) {
      throw new InvalidProtocolBufferException("malformed JSON: nested deeper than " + MAX_JSON_DEPTH);
    }
    if (node.isObject()) {
      ObjectNode obj = (ObjectNode) node;
      Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        JsonNode v = f.getValue();
        if (HEX_ID_FIELDS.contains(f.getKey()) && v.isTextual()) {
          f.setValue(obj.textNode(hexToBase64(f.getKey(), v.asText())));
        } else {
          hexIdsToBase64(v, depth + 1);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        hexIdsToBase64(child, depth + 1);
      }
    }
  }

  private static String hexToBase64(String field, String hex) throws InvalidProtocolBufferException {
    if (hex.isEmpty()) {
      return hex;
    }
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new InvalidProtocolBufferException("malformed JSON: " + field + " is not hex: '" + hex + "'");
    }
  }
}
