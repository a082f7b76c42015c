package dev.lookout.agent.instrument.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.agent.bootstrap.IoHooks;
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

class TransferCallWeaverTest {

  private static final String TRANSFERS = "example/app/Transfers";

  @TempDir
  Path dir;
  private final List<String> woven = new ArrayList<>();
  private final Weaver.Listener listener = new Weaver.Listener() {
    @Override
    public void woven(String className) {
      woven.add(className);
    }

    @Override
    public void failed(String className, Throwable error) {
      throw new AssertionError(className, error);
    }
  };

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
    Class<?> transfers = wovenTransfers();
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
    Class<?> transfers = wovenTransfers();
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
    Class<?> transfers = wovenTransfers();
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
    Class<?> transfers = wovenTransfers();
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
    Class<?> transfers = wovenTransfers();
    IoHooks.install(null);
    SiteSeeingChannel target = new SiteSeeingChannel();
    try (FileChannel in = FileChannel.open(file(2_000), StandardOpenOption.READ)) {
      call(transfers, "send", in, target);
    }
    assertThat(target.bytes).isEqualTo(2_000);
    assertThat(target.sites).containsOnly((String) null);
  }

  @Test
  void onlyTheApplicationsClassesThatTransferAreWoven() throws IOException {
    byte[] transfers = classFile(TRANSFERS);
    TransferCallWeaver weaver = new TransferCallWeaver(listener);
    ClassLoader loader = getClass().getClassLoader();
    assertThat(weaver.transform(null, loader, TRANSFERS, null, null, transfers)).isNotNull();
    // the walk goes past the JDK's, the agent's and frameworks' calls to the application above them
    assertThat(weaver.transform(null, loader, "org/eclipse/jetty/server/Sender", null, null, transfers)).isNull();
    assertThat(weaver.transform(null, loader, "io/netty/channel/DefaultFileRegion", null, null, transfers)).isNull();
    assertThat(weaver.transform(null, loader, "dev/lookout/agent/io/Copier", null, null, transfers)).isNull();
    assertThat(weaver.transform(null, null, TRANSFERS, null, null, transfers)).as("bootstrap").isNull();
    assertThat(weaver.transform(Object.class.getModule(), loader, TRANSFERS, null, null, transfers))
        .as("a named module reads no bootstrap bridge").isNull();
    assertThat(weaver.transform(null, loader, TRANSFERS, Object.class, null, transfers)).as("retransformed").isNull();
    // a class that transfers nothing is not even read
    byte[] other = classFile("example/app/SiteCaller");
    assertThat(weaver.transform(null, loader, "example/app/SiteCaller", null, null, other)).isNull();
    assertThat(TransferCallWeaver.weave("example.app.SiteCaller", other)).isNull();
    assertThat(woven).containsExactly("example.app.Transfers");
  }

  @Test
  void onlyClassFilesNamingTheChannelAndATransferAreRead() {
    assertThat(TransferCallWeaver.mayTransfer(latin1("..java/nio/channels/FileChannel..transferTo.."))).isTrue();
    assertThat(TransferCallWeaver.mayTransfer(latin1("..java/nio/channels/FileChannel..read.."))).isFalse();
    assertThat(TransferCallWeaver.mayTransfer(latin1("..java/io/InputStream..transferTo.."))).isFalse();
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Transfers, woven, in a loader of its own (the rest from the test's). */
  private Class<?> wovenTransfers() throws IOException, ClassNotFoundException {
    byte[] woven = new TransferCallWeaver(listener).transform(null, getClass().getClassLoader(), TRANSFERS, null,
        null, classFile(TRANSFERS));
    assertThat(woven).isNotNull();
    String name = TRANSFERS.replace('/', '.');
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
    try (InputStream in = TransferCallWeaverTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
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
