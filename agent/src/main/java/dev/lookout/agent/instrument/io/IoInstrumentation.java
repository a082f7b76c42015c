package dev.lookout.agent.instrument.io;

import static dev.lookout.agent.instrument.Signatures.takesAt;
import static dev.lookout.agent.instrument.Signatures.returnsType;
import static dev.lookout.agent.instrument.Signatures.takes;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.instrument.AdviceClasses;
import dev.lookout.agent.instrument.ClassGate;
import dev.lookout.agent.instrument.WeaveCache;
import dev.lookout.agent.instrument.Weaver;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Socket, file-channel, file-stream and TLS advice on the JDK's own classes (retransformed: they are
 * loaded before the agent). The same method names exist on JDK 11 to 25 for everything here except
 * FileChannelImpl's internal transfer paths, which are matched by every name they have had:
 *
 * <ul>
 *   <li>JDK 11-17: {@code transferToDirectly} (sendfile), {@code transferToTrustedChannel} (mmap),
 *       {@code transferToArbitraryChannel} (heap buffer); {@code transferFromFileChannel} (mmap),
 *       {@code transferFromArbitraryChannel}.
 *   <li>JDK 21-25: {@code transferToDirect} (sendfile to sockets, copy_file_range to files),
 *       {@code transferFromDirect} (copy_file_range), then the same mmap and heap-buffer paths
 *       (mmap only from 16 KiB on).
 * </ul>
 *
 * A name missing on the running JDK simply matches nothing.
 */
public final class IoInstrumentation {

  private static final String SOCKET_CHANNEL = "sun.nio.ch.SocketChannelImpl";
  private static final String SOCKET_IMPL = "sun.nio.ch.NioSocketImpl";
  private static final String FILE_CHANNEL = "sun.nio.ch.FileChannelImpl";
  private static final String FILE_STREAM = "java.io.FileInputStream";
  private static final String RANDOM_ACCESS = "java.io.RandomAccessFile";
  private static final String SSL_ENGINE = "sun.security.ssl.SSLEngineImpl";
  private static final String SSL_STREAM = "sun.security.ssl.SSLSocketImpl$AppOutputStream";
  private static final String SSL_OUT_RECORD = "sun.security.ssl.SSLSocketOutputRecord";
  private static final String SSL_IN_RECORD = "sun.security.ssl.SSLSocketInputRecord";

  private IoInstrumentation() {}

  public static void install(Instrumentation inst, ClassLoader agentLoader, Weaver.Listener listener, WeaveCache cache) {
    IoHooks.prepare();
    List<String> classes = List.of(SOCKET_CHANNEL, SOCKET_IMPL, FILE_CHANNEL, FILE_STREAM, RANDOM_ACCESS, SSL_ENGINE,
        SSL_STREAM, SSL_OUT_RECORD, SSL_IN_RECORD);
    // Only these JDK classes, judged by name: the transformer stays registered for every class the
    // application loads later, and anything more than a name check would cost each of them.
    Weaver weaver = new Weaver(ClassGate.of(classes, List.of()), listener, AdviceClasses.of(agentLoader));
    weaver.type(named(SOCKET_CHANNEL))
        .advice(named("read").and(takes(ByteBuffer.class))
            .or(named("read").and(takes(ByteBuffer[].class, int.class, int.class))),
            SocketReadAdvice.class.getName())
        .advice(named("write").and(takes(ByteBuffer.class))
            .or(named("write").and(takes(ByteBuffer[].class, int.class, int.class))),
            SocketWriteAdvice.class.getName())
        // the streams of a socket channel's adaptor (SocketChannel.socket(), Channels.newOutputStream)
        .advice(named("blockingRead").and(takes(byte[].class, int.class, int.class, long.class)),
            SocketReadAdvice.class.getName())
        .advice(named("blockingWriteFully").and(takes(byte[].class, int.class, int.class)),
            StreamSocketWriteAdvice.class.getName())
        .advice(named("connect").and(takes(SocketAddress.class)), ConnectAdvice.class.getName());
    weaver.type(named(SOCKET_IMPL))
        .advice(named("read").and(takes(byte[].class, int.class, int.class)).and(returnsType(int.class)),
            SocketReadAdvice.class.getName())
        .advice(named("write").and(takes(byte[].class, int.class, int.class)),
            StreamSocketWriteAdvice.class.getName())
        .advice(named("connect").and(takes(SocketAddress.class, int.class)), ConnectAdvice.class.getName());
    weaver.type(named(FILE_CHANNEL))
        .advice(named("transferTo").and(isPublic()).and(takesArguments(3)), TransferToAdvice.class.getName())
        .advice(named("transferFrom").and(isPublic()).and(takesArguments(3)), TransferFromAdvice.class.getName())
        // JDK 11-17: transferToDirectly; 21+: transferToDirect, transferFromDirect
        .advice(namedOneOf("transferToDirectly", "transferToDirect", "transferFromDirect").and(returnsType(long.class)),
            DirectTransferAdvice.class.getName())
        .advice(namedOneOf("transferToTrustedChannel", "transferFromFileChannel").and(returnsType(long.class)),
            MappedTransferAdvice.class.getName())
        .advice(namedOneOf("transferToArbitraryChannel", "transferFromArbitraryChannel").and(returnsType(long.class)),
            CopyingTransferAdvice.class.getName())
        .advice(isPublic().and(named("read")).and(takesAt(0, ByteBuffer.class).or(takesAt(0, ByteBuffer[].class))),
            FileReadAdvice.class.getName());
    ElementMatcher.Junction<MethodDescription> heapRead = isPublic().and(named("read"))
        .and(takes(byte[].class).or(takes(byte[].class, int.class, int.class)));
    weaver.type(named(FILE_STREAM))
        .advice(heapRead, FileReadAdvice.class.getName())
        .advice(isPublic().and(named("readAllBytes").and(takesArguments(0))
            .or(named("readNBytes").and(takes(int.class)))), FileReadAllAdvice.class.getName());
    weaver.type(named(RANDOM_ACCESS))
        .advice(heapRead, FileReadAdvice.class.getName());
    weaver.type(named(SSL_ENGINE))
        .advice(named("wrap").and(takesArguments(6)), TlsWrapAdvice.class.getName())
        .advice(named("unwrap").and(takesArguments(6)), TlsUnwrapAdvice.class.getName());
    weaver.type(named(SSL_STREAM))
        .advice(named("write").and(takes(byte[].class, int.class, int.class)),
            TlsStreamWriteAdvice.class.getName());
    weaver.type(named(SSL_OUT_RECORD))
        .advice(namedOneOf("deliver", "flush", "encodeAlert", "encodeHandshake", "encodeChangeCipherSpec",
            "encodeV2NoCipher"), TlsRecordAdvice.class.getName());
    weaver.type(named(SSL_IN_RECORD))
        .advice(named("read").and(takes(java.io.InputStream.class, byte[].class, int.class, int.class)),
            TlsRecordAdvice.class.getName());
    weaver.cache(cache).install(inst, Weaver.loaded(inst, classes));
    // the application's own transfer calls, as its classes load: their sites need no stack walk
    inst.addTransformer(new IoCallWeaver(listener, cache), false);
  }
}
