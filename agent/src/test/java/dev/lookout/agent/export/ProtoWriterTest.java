package dev.lookout.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Nested messages whose length takes fewer, as many or more bytes than were reserved for it. */
class ProtoWriterTest {

  /** Around each varint size boundary: 1, 2, 3 and 4 length bytes. */
  private static final int[] LENGTHS = {0, 1, 127, 128, 300, 16_383, 16_384, 70_000, 2_097_151, 2_097_152};

  @Test
  void everyReserveGivesTheCanonicalEncodingProtobufWrites() throws Exception {
    for (int reserve = 1; reserve <= 3; reserve++) {
      for (int length : LENGTHS) {
        byte[] body = body(length);
        ProtoWriter w = new ProtoWriter(16);
        w.varintField(1, 42);
        int outer = w.begin(2, reserve);
        int inner = w.begin(3, reserve);
        w.raw(body);
        w.end(inner, reserve);
        w.tag(4, ProtoWriter.FIXED32);
        w.fixed32(7);
        w.end(outer, reserve);
        w.varintField(5, 9);

        assertThat(w.toByteArray())
            .as("reserve %d, body of %d bytes", reserve, length)
            .isEqualTo(expected(body));
        CodedInputStream in = CodedInputStream.newInstance(w.array(), 0, w.size());
        assertThat(in.readTag()).isEqualTo(1 << 3);
        assertThat(in.readInt64()).isEqualTo(42);
        in.readTag();
        CodedInputStream nested = CodedInputStream.newInstance(in.readByteArray());
        nested.readTag();
        assertThat(nested.readByteArray()).isEqualTo(body);
      }
    }
  }

  /** The same fields written by protobuf-java: canonical (shortest) length varints. */
  private static byte[] expected(byte[] body) throws Exception {
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(inner);
    c.writeByteArray(3, body);
    c.writeFixed32(4, 7);
    c.flush();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    c = CodedOutputStream.newInstance(all);
    c.writeInt64(1, 42);
    c.writeByteArray(2, inner.toByteArray());
    c.writeInt64(5, 9);
    c.flush();
    return all.toByteArray();
  }

  private static byte[] body(int length) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) 'x');
    for (int i = 0; i < length; i += 997) {
      b[i] = (byte) i; // not all equal: a body moved by the wrong amount shows
    }
    return b;
  }
}
