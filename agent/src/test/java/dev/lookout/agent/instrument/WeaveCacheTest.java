package dev.lookout.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.FixedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeaveCacheTest {

  /** Woven in these tests: {@code greet} and {@code other}. */
  private static final Class<?> TARGET_TYPE = WeaverTest.Target.class;
  private static final String TARGET = TARGET_TYPE.getName();
  private static final String INTERNAL = TARGET.replace('.', '/');
  private static final String EXCLAIM = WeaverTest.ExclaimAdvice.class.getName();

  @TempDir
  Path dir;

  private final List<String> woven = Collections.synchronizedList(new ArrayList<>());
  private final List<String> cached = Collections.synchronizedList(new ArrayList<>());
  private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
  private final Weaver.Listener listener = new Weaver.Listener() {
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
      errors.add(error);
    }
  };

  private Path jar() throws IOException {
    Path jar = dir.resolve("agent.jar");
    if (!Files.exists(jar)) {
      Files.write(jar, new byte[] {1, 2, 3, 4, 5});
    }
    return jar;
  }

  private WeaveCache open() throws IOException {
    return WeaveCache.open(dir.resolve("cache"), jar());
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  /** A weaver of one rule: {@code advice} into {@code method} of Target, advice read from {@code source}. */
  private Weaver weaver(String method, AdviceClasses source) {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, source);
    weaver.type(named(TARGET)).advice(named(method), EXCLAIM);
    return weaver;
  }

  private byte[] transform(Weaver weaver, ClassLoader loader, String internalName, byte[] classFile) {
    return weaver.transform(getClass().getModule(), loader, internalName, null, (ProtectionDomain) null, classFile);
  }

  @Test
  void aSecondStartTakesTheWovenClassFromTheCacheWithoutWeaving() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    byte[] first = transform(weaver("greet", AdviceClasses.of(loader)).cache(open()), loader, INTERNAL,
        classFile(TARGET_TYPE));
    assertNotNull(first);
    assertEquals(List.of(TARGET), woven);

    // the next start: a new cache and weaver with the same rules
    Weaver next = weaver("greet", AdviceClasses.of(loader)).cache(open());
    byte[] again = transform(next, loader, INTERNAL, classFile(TARGET_TYPE));
    assertArrayEquals(first, again);
    assertEquals(List.of(TARGET), cached);
    assertEquals(List.of(TARGET), woven, "not woven a second time");
    assertTrue(errors.isEmpty(), errors::toString);
  }

  @Test
  void otherRulesOrAnotherClassFileDoNotTakeAnEntryMadeForOthers() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    byte[] greet = transform(weaver("greet", AdviceClasses.of(loader)).cache(open()), loader, INTERNAL,
        classFile(TARGET_TYPE));
    byte[] other = transform(weaver("other", AdviceClasses.of(loader)).cache(open()), loader, INTERNAL,
        classFile(TARGET_TYPE));
    assertNotNull(other);
    assertFalse(java.util.Arrays.equals(greet, other), "advice on other(), not greet()'s entry");
    assertTrue(cached.isEmpty());

    // a class file one byte longer (ASM reads it as the same class): not the file the entry was made for
    byte[] longer = java.util.Arrays.copyOf(classFile(TARGET_TYPE), classFile(TARGET_TYPE).length + 1);
    assertNotNull(transform(weaver("greet", AdviceClasses.of(loader)).cache(open()), loader, INTERNAL, longer));
    assertEquals(List.of(TARGET, TARGET, TARGET), woven, "woven afresh");
    assertTrue(cached.isEmpty());
    assertTrue(errors.isEmpty(), errors::toString);
  }

  @Test
  void aRetransformedClassWhoseMethodsTheJvmListsInAnotherOrderIsTakenFromTheCache() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    byte[] original = classFile(TARGET_TYPE);
    byte[] first = weaver("greet", AdviceClasses.of(loader)).cache(open()).transform(getClass().getModule(), loader,
        INTERNAL, TARGET_TYPE, null, original);
    assertNotNull(first);
    ClassFileView view = new ClassFileView(original);
    int methods = view.methodBounds().length - 1;
    int[] reversed = new int[methods];
    for (int m = 0; m < methods; m++) {
      reversed[m] = methods - 1 - m;
    }
    // as reconstituted in another run: the same methods, listed in another order
    byte[] reconstituted = view.withMethodsIn(reversed);
    assertArrayEquals(first, weaver("greet", AdviceClasses.of(loader)).cache(open()).transform(getClass().getModule(),
        loader, INTERNAL, TARGET_TYPE, null, reconstituted));
    assertEquals(List.of(TARGET), cached);
    // loaded for the first time (not retransformed), the order is the class file's own: judged afresh
    assertNotNull(transform(weaver("greet", AdviceClasses.of(loader)).cache(open()), loader, INTERNAL, reconstituted));
    assertEquals(List.of(TARGET, TARGET), woven);
  }

  @Test
  void theCachesFilesReadWhileAnApplicationThreadLoadsAClassAreNotTheApplicationsIo() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    transform(weaver("greet", AdviceClasses.of(loader)).cache(open()), loader, INTERNAL, classFile(TARGET_TYPE));
    List<Long> fileBytesSeen = new ArrayList<>();
    dev.lookout.agent.io.IoRecorder recorder = new dev.lookout.agent.io.IoRecorder(60_000);
    dev.lookout.agent.bootstrap.IoHooks.install(recorder);
    try {
      Weaver next = new Weaver(ClassGate.of(List.of(TARGET), List.of()), new Weaver.Listener() {
        @Override
        public void woven(String className) {}

        @Override
        public void cached(String className) {
          // what the file-read advice does around each read of the entry: counted only when not off
          dev.lookout.agent.bootstrap.IoHooks.Counters c = dev.lookout.agent.bootstrap.IoHooks.fileEnter("/x/entry.woven");
          dev.lookout.agent.bootstrap.IoHooks.fileExit(c, 100);
          fileBytesSeen.add(dev.lookout.agent.bootstrap.IoHooks.current().v[dev.lookout.agent.bootstrap.IoHooks.FILE]);
        }

        @Override
        public void failed(String className, Throwable error) {
          errors.add(error);
        }
      }, AdviceClasses.of(loader));
      next.type(named(TARGET)).advice(named("greet"), EXCLAIM);
      next.cache(open());
      long before = dev.lookout.agent.bootstrap.IoHooks.current().v[dev.lookout.agent.bootstrap.IoHooks.FILE];
      assertNotNull(transform(next, loader, INTERNAL, classFile(TARGET_TYPE)));
      assertEquals(List.of(before), fileBytesSeen, "nothing counted while the class was taken from the cache");
      dev.lookout.agent.bootstrap.IoHooks.Counters c = dev.lookout.agent.bootstrap.IoHooks.fileEnter("/x/data.bin");
      dev.lookout.agent.bootstrap.IoHooks.fileExit(c, 100);
      assertEquals(before + 100, dev.lookout.agent.bootstrap.IoHooks.current().v[dev.lookout.agent.bootstrap.IoHooks.FILE],
          "the application's own reads, after it, are counted again");
    } finally {
      dev.lookout.agent.bootstrap.IoHooks.install(null);
    }
    assertTrue(errors.isEmpty(), errors::toString);
  }

  @Test
  void aClassLeftAsItIsIsRememberedSoToo() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    Weaver weaver = weaver("nothingOfTheSort", AdviceClasses.of(loader)).cache(open());
    assertNull(transform(weaver, loader, INTERNAL, classFile(TARGET_TYPE)));
    try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
      assertEquals(1, files.filter(f -> f.toString().endsWith(".woven")).count());
    }
    Weaver next = weaver("nothingOfTheSort", AdviceClasses.of(loader)).cache(open());
    assertNull(transform(next, loader, INTERNAL, classFile(TARGET_TYPE)));
    assertTrue(woven.isEmpty() && cached.isEmpty());
    assertTrue(errors.isEmpty(), errors::toString);
  }

  /** Serves class files of its own as resources (what type pools and {@link SuperTypeNames} read). */
  private static final class Files_ extends ClassLoader {
    private final Map<String, byte[]> files;

    Files_(Map<String, byte[]> files) {
      super(WeaveCacheTest.class.getClassLoader());
      this.files = files;
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      byte[] file = files.get(name);
      return file != null ? new ByteArrayInputStream(file) : super.getResourceAsStream(name);
    }
  }

  /** Marks the classes the hierarchy rule below weaves. */
  public interface Marked {}

  @Test
  void aSuperTypeThatChangedUnderAnUnchangedClassIsJudgedAfresh() throws Exception {
    byte[] markedBase = new ByteBuddy().subclass(Object.class).implement(Marked.class).name("p.Base").make().getBytes();
    byte[] plainBase = new ByteBuddy().subclass(Object.class).name("p.Base").make().getBytes();
    net.bytebuddy.description.type.TypeDescription base = net.bytebuddy.pool.TypePool.Default.of(
        new ClassFileLocator.Compound(ClassFileLocator.Simple.of("p.Base", markedBase),
            ClassFileLocator.ForClassLoader.ofSystemLoader())).describe("p.Base").resolve();
    byte[] child = new ByteBuddy().subclass(base).name("p.Child")
        .defineMethod("greet", String.class, Visibility.PUBLIC).withParameters(String.class).intercept(FixedValue.value("hi"))
        .make().getBytes();
    ClassLoader marked = new Files_(Map.of("p/Base.class", markedBase, "p/Child.class", child));
    ClassLoader plain = new Files_(Map.of("p/Base.class", plainBase, "p/Child.class", child));
    AdviceClasses advice = AdviceClasses.of(getClass().getClassLoader());

    Weaver weaver = new Weaver(ClassGate.of(List.of("p.Child"), List.of()), listener, advice);
    weaver.type(hasSuperType(named(Marked.class.getName()))).advice(named("greet"), EXCLAIM);
    weaver.cache(open());
    assertNotNull(transform(weaver, marked, "p/Child", child), "a Marked's greet is advised");
    assertNull(transform(weaver, plain, "p/Child", child), "the same class file under a Base that is not Marked");

    Weaver next = new Weaver(ClassGate.of(List.of("p.Child"), List.of()), listener, advice);
    next.type(hasSuperType(named(Marked.class.getName()))).advice(named("greet"), EXCLAIM);
    next.cache(open());
    assertNull(transform(next, plain, "p/Child", child));
    assertNotNull(transform(next, marked, "p/Child", child));
    assertEquals(List.of("p.Child"), cached, "the woven one from its entry");
    assertEquals(List.of("p.Child"), woven, "both decisions taken from their entries, nothing woven again");
    assertTrue(errors.isEmpty(), errors::toString);
  }

  @Test
  void anEntryIsUsedOnlyWhenWholeAndMadeForExactlyThisClass() {
    byte[] classFile = {(byte) 0xca, (byte) 0xfe, 1, 2, 3};
    byte[] stored = WeaveCache.encode("a/B", "1|java/lang/Object", classFile, 5, new byte[] {9, 9});
    WeaveCache.Entry entry = WeaveCache.decode(stored, "a/B", "1|java/lang/Object", classFile);
    assertEquals(5, entry.rules);
    assertArrayEquals(new byte[] {9, 9}, entry.woven);
    assertNull(WeaveCache.decode(stored, "a/C", "1|java/lang/Object", classFile), "another name");
    assertNull(WeaveCache.decode(stored, "a/B", "3|java/lang/Object", classFile), "other loaders' rules");
    assertNull(WeaveCache.decode(stored, "a/B", "1|java/lang/Object;x/Y", classFile), "another hierarchy");
    assertNull(WeaveCache.decode(stored, "a/B", "1|java/lang/Object", new byte[] {(byte) 0xca, (byte) 0xfe, 1, 2, 4}));
    for (int cut = 0; cut < stored.length; cut++) {
      assertNull(WeaveCache.decode(java.util.Arrays.copyOf(stored, cut), "a/B", "1|java/lang/Object", classFile));
    }
    for (int i = 0; i < stored.length; i++) {
      byte[] flipped = stored.clone();
      flipped[i] ^= 0x10;
      assertNull(WeaveCache.decode(flipped, "a/B", "1|java/lang/Object", classFile), "a byte changed at " + i);
    }
    WeaveCache.Entry left = WeaveCache.decode(WeaveCache.encode("a/B", "", classFile, 0, null), "a/B", "", classFile);
    assertNull(left.woven);
  }

  @Test
  void aDamagedEntryOnDiskIsNotUsedAndTheClassIsWovenAgain() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    byte[] first = transform(weaver("greet", AdviceClasses.of(loader)).cache(open()), loader, INTERNAL,
        classFile(TARGET_TYPE));
    Path entry;
    try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
      entry = files.filter(f -> f.toString().endsWith(".woven")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(entry);
    bytes[bytes.length / 2] ^= 1;
    Files.write(entry, bytes);
    byte[] again = transform(weaver("greet", AdviceClasses.of(loader)).cache(open()), loader, INTERNAL,
        classFile(TARGET_TYPE));
    assertArrayEquals(first, again);
    assertEquals(List.of(TARGET, TARGET), woven, "woven again, not taken from the damaged entry");
    assertTrue(cached.isEmpty());
  }

  @Test
  void aRootOthersMayWriteIntoIsRefused() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    IOException refused = assertThrows(IOException.class, () -> WeaveCache.open(shared, jar()));
    assertTrue(refused.getMessage().contains("other users"), refused.getMessage());
    Path file = Files.write(dir.resolve("a-file"), new byte[1]);
    assertThrows(IOException.class, () -> WeaveCache.open(file, jar()));

    WeaveCache made = WeaveCache.open(dir.resolve("new/cache"), jar());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("new/cache"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made.directory())));
  }

  @Test
  void whenTheDiskRefusesTheWeaverWeavesAsWithoutACache() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    WeaveCache cache = open();
    Weaver weaver = weaver("greet", AdviceClasses.of(loader)).cache(cache);
    // the weaver's directory is replaced by a file: nothing can be written or read there any more
    try (Stream<Path> dirs = Files.list(cache.directory())) {
      Path space = dirs.findFirst().orElseThrow();
      try (Stream<Path> files = Files.list(space)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.delete(f);
        }
      }
      Files.delete(space);
      Files.write(space, new byte[1]);
    }
    for (int i = 0; i < 3; i++) {
      assertNotNull(transform(weaver, loader, INTERNAL, classFile(TARGET_TYPE)));
    }
    assertEquals(3, woven.size());
    assertTrue(errors.isEmpty(), errors::toString);
  }

  @Test
  void manyThreadsWritingAndReadingAtOnceLeaveOnlyWholeEntries() throws Exception {
    ClassLoader loader = getClass().getClassLoader();
    byte[] classFile = classFile(TARGET_TYPE);
    byte[] expected = transform(weaver("greet", AdviceClasses.of(loader)), loader, INTERNAL, classFile);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<byte[]>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> transform(weaver("greet", AdviceClasses.of(loader)).cache(open()), loader,
            INTERNAL, classFile)));
      }
      for (Future<byte[]> result : results) {
        assertArrayEquals(expected, result.get());
      }
    } finally {
      pool.shutdown();
    }
    try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
      List<Path> all = files.filter(Files::isRegularFile).collect(java.util.stream.Collectors.toList());
      assertEquals(2, all.size(), "the rules and one entry, no temporary file left: " + all);
    }
    assertTrue(errors.isEmpty(), errors::toString);
  }

  @Test
  void anotherAgentBuildOrJvmHasItsOwnDirectoryAndWhatIsUnusedIsPruned() throws Exception {
    Path jar = jar();
    String name = WeaveCache.buildName(jar);
    Files.write(jar, new byte[] {1, 2, 3, 4, 6}); // the same length, one byte changed
    assertNotEquals(name, WeaveCache.buildName(jar));

    Path root = dir.resolve("cache");
    Path stale = Files.createDirectories(root.resolve("stale-build/space"));
    Files.write(stale.resolve("x.woven"), new byte[1]);
    Files.setLastModifiedTime(root.resolve("stale-build"),
        FileTime.fromMillis(System.currentTimeMillis() - WeaveCache.UNUSED_KEPT.plus(Duration.ofDays(1)).toMillis()));
    Path recent = Files.createDirectories(root.resolve("recent-build"));
    WeaveCache cache = WeaveCache.open(root, jar);

    // this build: an entry taken now, one no start took for longer than kept, a write a JVM never finished
    ClassLoader loader = getClass().getClassLoader();
    transform(weaver("greet", AdviceClasses.of(loader)).cache(cache), loader, INTERNAL, classFile(TARGET_TYPE));
    Path space;
    Path used;
    try (Stream<Path> files = Files.walk(cache.directory())) {
      used = files.filter(f -> f.toString().endsWith(".woven")).findFirst().orElseThrow();
      space = used.getParent();
    }
    FileTime longAgo = FileTime.fromMillis(System.currentTimeMillis() - WeaveCache.UNUSED_KEPT.plus(Duration.ofDays(1)).toMillis());
    Files.setLastModifiedTime(used, longAgo);
    assertNotNull(transform(weaver("greet", AdviceClasses.of(loader)).cache(WeaveCache.open(root, jar)), loader, INTERNAL,
        classFile(TARGET_TYPE)));
    assertEquals(List.of(TARGET), cached);
    assertTrue(Files.getLastModifiedTime(used).toMillis() > System.currentTimeMillis() - 60_000, "a use renews it");
    Path unused = Files.write(space.resolve("old.Class-0000000000000000.woven"), new byte[1]);
    Files.setLastModifiedTime(unused, longAgo);
    Path unfinished = Files.write(space.resolve(".x.woven.1-1-1.tmp"), new byte[1]);
    Files.setLastModifiedTime(unfinished, FileTime.fromMillis(System.currentTimeMillis() - Duration.ofHours(2).toMillis()));
    Path beingWritten = Files.write(space.resolve(".y.woven.1-1-2.tmp"), new byte[1]);

    cache.prune();
    assertFalse(Files.exists(root.resolve("stale-build")));
    assertTrue(Files.isDirectory(recent));
    assertTrue(Files.isDirectory(cache.directory()));
    assertTrue(Files.exists(used));
    assertTrue(Files.exists(space.resolve("rules")));
    assertFalse(Files.exists(unused));
    assertFalse(Files.exists(unfinished));
    assertTrue(Files.exists(beingWritten), "another JVM may be writing it now");
  }

  @Test
  void rulesAreDescribedTheSameWayInEveryStart() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Weaver weaver = new Weaver(ClassGate.of(List.of(), List.of()), listener, AdviceClasses.of(getClass().getClassLoader()));
      dev.lookout.agent.instrument.servlet.ServletInstrumentation.apply(weaver, getClass().getClassLoader());
      dev.lookout.agent.instrument.servlet.ContainerInstrumentation.apply(weaver, getClass().getClassLoader());
      dev.lookout.agent.instrument.servlet.BodyInstrumentation.apply(weaver);
      dev.lookout.agent.instrument.logging.LoggingInstrumentation.apply(weaver);
      texts.add(weaver.rules());
    }
    assertEquals(texts.get(0), texts.get(1));
    assertFalse(texts.get(0).matches("(?s).*@[0-9a-f]{4,}.*"), "no identity hash code: " + texts.get(0));
    assertTrue(texts.get(0).contains("seesClass(jakarta/servlet/Servlet.class)"), texts.get(0));
  }
}
