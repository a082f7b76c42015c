package dev.lookout.agent.instrument.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.instrument.WeaveCache;
import dev.lookout.agent.instrument.Weaver;
import dev.lookout.agent.io.IoRecorder;
import example.app.Transfers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoCallWeaverTest {

  private static final String TRANSFERS = "example/app/Transfers";
  private static final String READS = "example/app/Reads";

  @TempDir
  Path dir;
  private final Noted listener = new Noted();
  private final List<String> woven = listener.woven;

  /** Notes the classes woven and those taken from the cache; a class that cannot be woven fails the test. */
  private static final class Noted implements Weaver.Listener {
    final List<String> woven = new ArrayList<>();
    final List<String> cached = new ArrayList<>();

    @Override
    public void woven(String className) {
      woven.add(className);
    }

    @Override
    public void cached(String className) {
      cached.add(className);
    }

    @Override
    public void failed(String className, Throwable error) {
      throw new AssertionError(className, error);
    }
  }

  @BeforeEach
  void recording() {
    IoHooks.install(new IoRecorder(5_000));
  }

  @AfterEach
  void uninstall() {
    IoHooks.install(null);
  }

  @Test
  void anApplicationsTransferToCarriesTheSiteAStackWalkWouldName() throws Exception {
    Class<?> transfers = woven(TRANSFERS);
    Path file = file(10_000);
    SiteSeeingChannel target = new SiteSeeingChannel();
    String walked;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      walked = (String) call(transfers, "send", in, target);
    }
    assertThat(target.bytes).isEqualTo(10_000);
    assertThat(target.sites).isNotEmpty().containsOnly("example.app.Transfers.send:" + Transfers.SEND_LINE);
    assertThat(walked).isEqualTo("example.app.Transfers.send:" + Transfers.SEND_LINE);
    assertThat(IoHooks.current().callSite).as("the site is the call's only").isNull();
    assertThat(woven).containsExactly("example.app.Transfers");
  }

  @Test
  void anApplicationsTransferFromCarriesItsSiteToo() throws Exception {
    Class<?> transfers = woven(TRANSFERS);
    SiteSeeingChannel source = new SiteSeeingChannel();
    source.readable = 5_000;
    String walked;
    try (FileChannel out = FileChannel.open(dir.resolve("in.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      walked = (String) call(transfers, "receive", out, source, 5_000L);
    }
    assertThat(source.sites).isNotEmpty().containsOnly(walked);
    assertThat(walked).isEqualTo("example.app.Transfers.receive:" + Transfers.RECEIVE_LINE);
    assertThat(Files.size(dir.resolve("in.bin"))).isEqualTo(5_000);
  }

  @Test
  void aFailedTransferThrowsWhatItThrewAndLeavesNoSiteBehind() throws Exception {
    Class<?> transfers = woven(TRANSFERS);
    WritableByteChannel failing = new SiteSeeingChannel() {
      @Override
      public int write(ByteBuffer src) throws IOException {
        super.write(src);
        throw new IOException("peer gone");
      }
    };
    try (FileChannel in = FileChannel.open(file(100), StandardOpenOption.READ)) {
      assertThatThrownBy(() -> call(transfers, "send", in, failing)).isInstanceOf(IOException.class)
          .hasMessage("peer gone");
    }
    assertThat(((SiteSeeingChannel) failing).sites).containsOnly("example.app.Transfers.send:" + Transfers.SEND_LINE);
    assertThat(IoHooks.current().callSite).isNull();
  }

  @Test
  void aTransferNestedInAnotherLeavesTheOuterSiteAsItFoundIt() throws Exception {
    Class<?> transfers = woven(TRANSFERS);
    Path inner = file(300);
    SiteSeeingChannel innerTarget = new SiteSeeingChannel();
    List<String> outerSites = new ArrayList<>();
    WritableByteChannel outer = new SiteSeeingChannel() {
      @Override
      public int write(ByteBuffer src) throws IOException {
        if (outerSites.isEmpty()) {
          outerSites.add(IoHooks.current().callSite);
          try (FileChannel in = FileChannel.open(inner, StandardOpenOption.READ)) {
            call(transfers, "send", in, innerTarget);
          } catch (IOException e) {
            throw e;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          outerSites.add(IoHooks.current().callSite);
        }
        return super.write(src);
      }
    };
    IoHooks.current().callSite = "example.app.Outer.run:7"; // as a woven call further up would have set it
    try (FileChannel in = FileChannel.open(file(1_000), StandardOpenOption.READ)) {
      call(transfers, "send", in, outer);
    } finally {
      assertThat(IoHooks.current().callSite).isEqualTo("example.app.Outer.run:7");
      IoHooks.current().callSite = null;
    }
    String site = "example.app.Transfers.send:" + Transfers.SEND_LINE;
    assertThat(outerSites).containsExactly(site, site);
    assertThat(innerTarget.sites).containsOnly(site);
  }

  @Test
  void withoutRecordingOrOnAnotherChannelTheCallIsMadeAsWritten() throws Exception {
    Class<?> transfers = woven(TRANSFERS);
    IoHooks.install(null);
    SiteSeeingChannel target = new SiteSeeingChannel();
    try (FileChannel in = FileChannel.open(file(2_000), StandardOpenOption.READ)) {
      call(transfers, "send", in, target);
    }
    assertThat(target.bytes).isEqualTo(2_000);
    assertThat(target.sites).containsOnly((String) null);
  }

  // ---- reads: the site is set for the read's own advice, which takes it (none runs in this JVM) ----

  /** Calls {@code method} of the woven Reads; answers {bytes read, walked site, site left for the read}. */
  private Object[] read(Class<?> reads, String method, Object... args) throws Exception {
    IoHooks.Counters c = IoHooks.current();
    c.readSite = null;
    Object[] answer = (Object[]) call(reads, method, args);
    String left = c.readSite;
    c.readSite = null;
    return new Object[] {answer[0], answer[1], left};
  }

  @Test
  void aReadOfTheJdksFileClassesLeavesItsWalkedSiteForTheReadsAdvice() throws Exception {
    Class<?> reads = woven(READS);
    IoHooks.current().siteWanted = true;
    Path file = file(100);
    Files.write(file, "0123456789".getBytes(StandardCharsets.ISO_8859_1));
    try (InputStream in = new java.io.FileInputStream(file.toFile())) {
      Object[] r = read(reads, "stream", in, new byte[4]);
      assertThat(r[0]).isEqualTo(4);
      assertThat(r[2]).isEqualTo(r[1]).isEqualTo("example.app.Reads.stream:21");
      byte[] b = new byte[8];
      r = read(reads, "streamRange", in, b, 2, 3); // the operands reach the read as they were
      assertThat(r[0]).isEqualTo(3);
      assertThat(new String(b, 2, 3, StandardCharsets.ISO_8859_1)).isEqualTo("456");
      assertThat(r[2]).isEqualTo(r[1]).isEqualTo("example.app.Reads.streamRange:25");
    }
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
      byte[] b = new byte[8];
      Object[] r = read(reads, "file", f, b, 1, 2);
      assertThat(r[0]).isEqualTo(2);
      assertThat(new String(b, 1, 2, StandardCharsets.ISO_8859_1)).isEqualTo("01");
      assertThat(r[2]).isEqualTo(r[1]).isEqualTo("example.app.Reads.file:29");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Object[] r = read(reads, "channel", ch, ByteBuffer.allocate(5));
      assertThat(r[0]).isEqualTo(5);
      assertThat(r[2]).isEqualTo(r[1]).isEqualTo("example.app.Reads.channel:33");
      // a file channel seen as a seekable one: an interface call
      r = read(reads, "seekable", ch, ByteBuffer.allocate(5));
      assertThat(r[0]).isEqualTo(5);
      assertThat(r[2]).isEqualTo(r[1]).isEqualTo("example.app.Reads.seekable:37");
    }
  }

  @Test
  void otherStreamsAndReadsNoSiteIsWantedForLeaveNoSite() throws Exception {
    Class<?> reads = woven(READS);
    IoHooks.current().siteWanted = true;
    // not the JDK's file class: a wrapper may read the file elsewhere, where the walk finds it
    Object[] r = read(reads, "stream", new java.io.ByteArrayInputStream(new byte[10]), new byte[4]);
    assertThat(r[0]).isEqualTo(4);
    assertThat(r[2]).isNull();
    Path file = file(100);
    try (InputStream in = new java.io.BufferedInputStream(new java.io.FileInputStream(file.toFile()))) {
      assertThat(read(reads, "stream", in, new byte[4])[2]).isNull();
    }
    // Files.newInputStream's stream can answer without reading its channel: walked
    try (InputStream in = Files.newInputStream(file)) {
      assertThat(read(reads, "stream", in, new byte[4])[2]).isNull();
    }
    // the unit's first file read took its site already: the loop's reads after it set none
    IoHooks.current().siteWanted = false;
    try (InputStream in = new java.io.FileInputStream(file.toFile())) {
      r = read(reads, "stream", in, new byte[4]);
      assertThat(r[0]).isEqualTo(4);
      assertThat(r[2]).isNull();
    } finally {
      IoHooks.current().siteWanted = true;
    }
    // a null stream throws as it did, from the application's own line
    assertThatThrownBy(() -> call(reads, "stream", null, new byte[4])).isInstanceOf(NullPointerException.class)
        .satisfies(e -> assertThat(e.getStackTrace()[0].getClassName()).isEqualTo("example.app.Reads"));
  }

  @Test
  void onlyTheApplicationsClassesThatTransferAreWoven() throws IOException {
    byte[] transfers = classFile(TRANSFERS);
    IoCallWeaver weaver = new IoCallWeaver(listener, null);
    ClassLoader loader = getClass().getClassLoader();
    assertThat(weaver.transform(null, loader, TRANSFERS, null, null, transfers)).isNotNull();
    // the walk goes past the JDK's, the agent's and frameworks' calls to the application above them
    assertThat(weaver.transform(null, loader, "org/eclipse/jetty/server/Sender", null, null, transfers)).isNull();
    assertThat(weaver.transform(null, loader, "io/netty/channel/DefaultFileRegion", null, null, transfers)).isNull();
    assertThat(weaver.transform(null, loader, "dev/lookout/agent/io/Copier", null, null, transfers)).isNull();
    assertThat(weaver.transform(null, null, TRANSFERS, null, null, transfers)).as("bootstrap").isNull();
    ClassLoader embedded = new java.net.URLClassLoader(dev.lookout.agent.embedded.EmbeddedCollector.LOADER_NAME,
        new java.net.URL[0], loader);
    assertThat(weaver.transform(null, embedded, TRANSFERS, null, null, transfers)).as("the agent's own").isNull();
    assertThat(weaver.transform(Object.class.getModule(), loader, TRANSFERS, null, null, transfers))
        .as("a named module reads no bootstrap bridge").isNull();
    assertThat(weaver.transform(null, loader, TRANSFERS, Object.class, null, transfers)).as("retransformed").isNull();
    // a class that transfers nothing is not even read
    byte[] other = classFile("example/app/SiteCaller");
    assertThat(weaver.transform(null, loader, "example/app/SiteCaller", null, null, other)).isNull();
    assertThat(IoCallWeaver.weave("example.app.SiteCaller", other)).isNull();
    assertThat(woven).containsExactly("example.app.Transfers");
  }

  @Test
  void aLaterStartTakesWhatItDecidedFromTheWeaveCache() throws Exception {
    Path jar = Files.write(dir.resolve("agent.jar"), new byte[] {1, 2, 3});
    Noted later = new Noted();
    ClassLoader loader = getClass().getClassLoader();
    byte[] reads = classFile(READS);
    byte[] other = classFile("example/app/OneThreadServer"); // names no woven type's call: left as it is
    byte[] first = new IoCallWeaver(listener, WeaveCache.open(dir.resolve("cache"), jar))
        .transform(null, loader, READS, null, null, reads);
    assertThat(first).isNotNull();
    IoCallWeaver second = new IoCallWeaver(later, WeaveCache.open(dir.resolve("cache"), jar));
    assertThat(second.transform(null, loader, READS, null, null, reads)).isEqualTo(first);
    assertThat(second.transform(null, loader, "example/app/OneThreadServer", null, null, other)).isNull();
    assertThat(second.transform(null, loader, "example/app/OneThreadServer", null, null, other)).isNull();
    assertThat(later.cached).containsExactly("example.app.Reads");
    assertThat(later.woven).as("nothing woven again").isEmpty();
    assertThat(woven).containsExactly("example.app.Reads");
  }

  @Test
  void onlyClassFilesNamingAWovenTypeAreRead() {
    assertThat(IoCallWeaver.mayCall(latin1("..java/nio/channels/FileChannel..transferTo.."))).isTrue();
    assertThat(IoCallWeaver.mayCall(latin1("..java/io/InputStream..read.."))).isTrue();
    assertThat(IoCallWeaver.mayCall(latin1("..java/io/RandomAccessFile..read.."))).isTrue();
    assertThat(IoCallWeaver.mayCall(latin1("..java/io/Reader..java/util/List.."))).isFalse();
  }

  @Test
  void readsAreWovenByOwnerNameAndDescriptorOnly() {
    assertThat(IoCallWeaver.isRead("java/io/InputStream", "read", "([B)I")).isTrue();
    assertThat(IoCallWeaver.isRead("java/io/InputStream", "read", "([BII)I")).isTrue();
    assertThat(IoCallWeaver.isRead("java/nio/channels/SeekableByteChannel", "read", "(Ljava/nio/ByteBuffer;)I")).isTrue();
    assertThat(IoCallWeaver.isRead("java/io/InputStream", "read", "()I")).as("one byte: no copy loop").isFalse();
    assertThat(IoCallWeaver.isRead("java/nio/channels/FileChannel", "read", "(Ljava/nio/ByteBuffer;J)I")).isFalse();
    assertThat(IoCallWeaver.isRead("java/io/BufferedInputStream", "read", "([B)I")).isFalse();
    assertThat(IoCallWeaver.isRead("java/io/InputStream", "readNBytes", "([BII)I")).isFalse();
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The class, woven, in a loader of its own (the rest from the test's). */
  private Class<?> woven(String internalName) throws IOException, ClassNotFoundException {
    byte[] woven = new IoCallWeaver(listener, null).transform(null, getClass().getClassLoader(), internalName, null,
        null, classFile(internalName));
    assertThat(woven).isNotNull();
    String name = internalName.replace('/', '.');
    ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
      @Override
      protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(className)) {
          if (!className.equals(name)) {
            return super.loadClass(className, resolve);
          }
          Class<?> c = findLoadedClass(className);
          return c != null ? c : defineClass(className, woven, 0, woven.length);
        }
      }
    };
    return loader.loadClass(name);
  }

  private static Object call(Class<?> type, String name, Object... args) throws Exception {
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name)) {
        try {
          return m.invoke(null, args);
        } catch (InvocationTargetException e) {
          throw e.getCause() instanceof Exception ? (Exception) e.getCause() : new RuntimeException(e.getCause());
        }
      }
    }
    throw new NoSuchMethodException(name);
  }

  private static byte[] classFile(String internalName) throws IOException {
    try (InputStream in = IoCallWeaverTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
      return in.readAllBytes();
    }
  }

  private Path file(int size) {
    try {
      return Files.write(Files.createTempFile(dir, "f", ".bin"), new byte[size]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A target (or source) that is no JDK channel (the transfer copies into or out of it) and notes the
   * thread's site as it is written or read.
   */
  private static class SiteSeeingChannel implements ByteChannel {
    final List<String> sites = new ArrayList<>();
    long bytes;
    long readable;

    @Override
    public int write(ByteBuffer src) throws IOException {
      sites.add(IoHooks.current().callSite);
      int n = src.remaining();
      src.position(src.limit());
      bytes += n;
      return n;
    }

    @Override
    public int read(ByteBuffer dst) {
      sites.add(IoHooks.current().callSite);
      if (readable == 0) {
        return -1;
      }
      int n = (int) Math.min(readable, dst.remaining());
      dst.position(dst.position() + n);
      readable -= n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
