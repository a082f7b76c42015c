package dev.lookout.agent.instrument;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The class files the {@link Weaver} wrote in an earlier start, kept on disk, so that the next start of
 * the same application takes them as they are: ByteBuddy then describes nothing, resolves no advice and
 * rewrites no class, and neither it nor ASM is compiled by the JIT. Measured on the agent-cost bench (one
 * core, launch to the first 200, five alternated rounds): +873 ms over no agent without it, +331 ms with it.
 *
 * <p>An entry holds what the weaver decided for one class file: its rewritten bytes, or that it was left
 * as it is. It is used only when everything that decision depended on is the same:
 * <ul>
 *   <li>the agent build (the agent jar's length and two CRCs of all its bytes: advice, helpers, ByteBuddy)
 *       and the JVM, which name the directory of a build;
 *   <li>the weaver's rules (their matchers, advice and helpers as text, which configuration changes),
 *       which name the directory of a weaver, holding that text in {@code rules};
 *   <li>the class file itself, byte for byte, and its name;
 *   <li>which rules' class-loader matchers accept its loader, and the names of all its super types as
 *       its loader sees them: the only things rules may look at beyond the class file.
 * </ul>
 * The last four are kept in the entry and compared in full; the entry's file name is a hash of them, only
 * to find it. An entry that cannot be read whole, or
 * differs in any of them, is not used. Entries are written to a temporary file and moved in place, so a
 * reader (another JVM, another class-loading thread) sees a whole entry or none.
 *
 * <p>The root directory must be the running user's own and writable by nobody else: an entry becomes
 * code in the application. Any failure to read or write turns the cache off for the rest of the run,
 * silently; the weaver then works as without it. Directories of other agent builds unused for
 * {@link #UNUSED_KEPT} are removed ({@link #prune}, off the application's start).
 */
public final class WeaveCache {

  /**
   * How long the entries of another agent build (or JVM) are kept after it last started, and an entry
   * after it was last used.
   */
  public static final Duration UNUSED_KEPT = Duration.ofDays(30);

  private static final int MAGIC = 0x4c4b5743; // "LKWC"
  private static final int FORMAT = 1;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
  private static final Set<StandardOpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  private static final String RULES = "rules";

  private static final long PID = ProcessHandle.current().pid();
  private static final java.util.concurrent.atomic.AtomicLong COUNT = new java.util.concurrent.atomic.AtomicLong();

  private final Path root;
  private final Path build;
  private volatile boolean working = true;

  private WeaveCache(Path root, Path build) {
    this.root = root;
    this.build = build;
  }

  /**
   * The cache under {@code root} for the agent in {@code agentJar} on this JVM; the directories are
   * made (owner only) when missing. Throws when {@code root} cannot be used or is not this user's own.
   */
  public static WeaveCache open(Path root, Path agentJar) throws IOException {
    root = root.toAbsolutePath();
    createOwnerOnly(root);
    checkOwnerOnly(root);
    Path build = root.resolve(buildName(agentJar));
    createOwnerOnly(build);
    Files.setLastModifiedTime(build, FileTime.fromMillis(System.currentTimeMillis())); // in use: kept by prune
    return new WeaveCache(root, build);
  }

  /**
   * The directory of this agent build on this JVM: the jar's length and two CRCs of its bytes (CRC-32C and
   * CRC-32, 64 bits, ~3 ms for the 6 MB jar), and the JVM's vendor, name and version.
   */
  static String buildName(Path agentJar) throws IOException {
    CRC32C crc = new CRC32C();
    CRC32 crc32 = new CRC32();
    long length = 0;
    try (FileChannel jar = FileChannel.open(agentJar, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
      while (jar.read(buffer) >= 0) {
        buffer.flip();
        length += buffer.remaining();
        crc.update(buffer.duplicate());
        crc32.update(buffer);
        buffer.clear();
      }
    }
    String jvm = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.vm.version");
    return Long.toHexString(length) + "-" + hex64(crc.getValue() << 32 | crc32.getValue()) + "-"
        + hex64(jvm.getBytes(StandardCharsets.UTF_8));
  }

  /** Where this cache keeps the entries of the running agent build. */
  public Path directory() {
    return build;
  }

  /**
   * The entries of the weaver whose rules read as {@code rules}: null when that directory holds another
   * weaver's (two texts with the same hash) or cannot be made.
   */
  public Space space(String rules) {
    if (!working) {
      return null;
    }
    try {
      byte[] text = rules.getBytes(StandardCharsets.UTF_8);
      Path dir = build.resolve(hex64(text));
      createOwnerOnly(dir);
      Path file = dir.resolve(RULES);
      try {
        if (!Arrays.equals(Files.readAllBytes(file), text)) {
          return null;
        }
      } catch (NoSuchFileException first) {
        writeAtomically(file, text);
      }
      return new Space(dir);
    } catch (IOException | RuntimeException e) {
      working = false;
      return null;
    }
  }

  /**
   * Removes what was not used for {@link #UNUSED_KEPT}: the directories of other agent builds and JVMs,
   * and this build's entries of classes no start took since (an application's classes of an earlier
   * version); and temporary files a JVM that stopped while writing left.
   */
  public void prune() {
    long before = System.currentTimeMillis() - UNUSED_KEPT.toMillis();
    long abandoned = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
    try (Stream<Path> files = Files.walk(build, 2)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        boolean entry = name.endsWith(".woven");
        if (entry || name.endsWith(".tmp")) {
          long modified = Files.getLastModifiedTime(file).toMillis();
          if (modified < (entry ? before : abandoned)) {
            deleteQuietly(file);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // another JVM prunes the same directory, or it went away: nothing to do
    }
    try (DirectoryStream<Path> builds = Files.newDirectoryStream(root)) {
      for (Path other : builds) {
        if (!other.equals(build) && Files.isDirectory(other)
            && Files.getLastModifiedTime(other).toMillis() < before) {
          try (Stream<Path> files = Files.walk(other)) {
            files.sorted(Comparator.reverseOrder()).forEach(WeaveCache::deleteQuietly);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // another JVM prunes the same directory, or it went away: nothing to do
    }
  }

  /** What the weaver decided for one class: {@code woven} null when it left the class as it was. */
  public static final class Entry {
    final long rules;
    public final byte[] woven;

    Entry(long rules, byte[] woven) {
      this.rules = rules;
      this.woven = woven;
    }
  }

  /** The entries of one weaver. */
  public final class Space {
    private final Path dir;

    private Space(Path dir) {
      this.dir = dir;
    }

    /**
     * What the weaver decided for {@code classFile} named {@code internalName}, seen in the
     * {@code context} described above; null when no entry holds exactly that.
     */
    public Entry find(String internalName, String context, byte[] classFile) {
      if (!working) {
        return null;
      }
      Path file = file(internalName, context, classFile);
      byte[] stored;
      try {
        stored = Files.readAllBytes(file);
      } catch (NoSuchFileException notYet) {
        return null;
      } catch (IOException | RuntimeException e) {
        working = false;
        return null;
      }
      Entry entry = decode(stored, internalName, context, classFile);
      if (entry != null) {
        try {
          Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis())); // used: kept by prune
        } catch (IOException | RuntimeException readOnly) {
          // a cache on a read-only disk is read all the same
        }
      }
      return entry;
    }

    /** Keeps what the weaver decided: {@code rules}, the rules that matched; {@code woven} null for "left as it is". */
    public void put(String internalName, String context, byte[] classFile, long rules, byte[] woven) {
      if (!working) {
        return;
      }
      try {
        writeAtomically(file(internalName, context, classFile), encode(internalName, context, classFile, rules, woven));
      } catch (IOException | RuntimeException e) {
        working = false; // a full or read-only disk: the rest of this run weaves without the cache
      }
    }

    private Path file(String internalName, String context, byte[] classFile) {
      CRC32C c = new CRC32C();
      CRC32 d = new CRC32();
      for (byte[] part : new byte[][] {internalName.getBytes(StandardCharsets.UTF_8),
          context.getBytes(StandardCharsets.UTF_8), classFile}) {
        c.update(part);
        d.update(part);
        c.update(0);
        d.update(0);
      }
      // the class's name, readable and safe on any file system, then the hash that finds the entry
      StringBuilder name = new StringBuilder(Math.min(internalName.length(), 120) + 24);
      for (int i = Math.max(0, internalName.length() - 120); i < internalName.length(); i++) {
        char ch = internalName.charAt(i);
        name.append(ch == '/' ? '.' : Character.isLetterOrDigit(ch) && ch < 128 || ch == '$' || ch == '_' ? ch : '-');
      }
      return dir.resolve(name.append('-').append(hex64(c.getValue() << 32 | d.getValue())).append(".woven").toString());
    }
  }

  static byte[] encode(String internalName, String context, byte[] classFile, long rules, byte[] woven) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(classFile.length + (woven == null ? 0 : woven.length) + 256);
    try {
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      writeString(out, internalName);
      writeString(out, context);
      out.writeInt(classFile.length);
      out.write(classFile);
      out.writeLong(rules);
      out.writeInt(woven == null ? -1 : woven.length);
      if (woven != null) {
        out.write(woven);
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
    } catch (IOException never) {
      throw new IllegalStateException(never); // written to memory
    }
    return bytes.toByteArray();
  }

  /** The entry {@code stored} holds if it is whole and made for exactly this class in this context; else null. */
  static Entry decode(byte[] stored, String internalName, String context, byte[] classFile) {
    if (stored.length < 8) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(stored, 0, stored.length - 8);
    if (crc.getValue() != ByteBuffer.wrap(stored, stored.length - 8, 8).getLong()) {
      return null; // cut short, or changed on disk
    }
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(stored, 0, stored.length - 8))) {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT || !readString(in).equals(internalName)
          || !readString(in).equals(context)) {
        return null;
      }
      int length = in.readInt();
      if (length != classFile.length) {
        return null;
      }
      byte[] original = new byte[length];
      in.readFully(original);
      if (!Arrays.equals(original, classFile)) {
        return null;
      }
      long rules = in.readLong();
      int wovenLength = in.readInt();
      byte[] woven = null;
      if (wovenLength >= 0) {
        woven = new byte[wovenLength];
        in.readFully(woven);
      }
      return in.available() == 0 ? new Entry(rules, woven) : null;
    } catch (IOException | RuntimeException malformed) {
      return null;
    }
  }

  private static void writeString(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("cut short");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Writes {@code bytes} to a new file beside {@code file} and moves it in place in one step. */
  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path temporary = uniqueBeside(file);
    try {
      try (java.nio.channels.SeekableByteChannel out = posix(temporary)
          ? Files.newByteChannel(temporary, NEW_FILE, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE))
          : Files.newByteChannel(temporary, NEW_FILE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static void createOwnerOnly(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      if (posix(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createDirectories(dir);
      }
    } catch (FileAlreadyExistsException madeMeanwhile) {
      if (!Files.isDirectory(dir)) {
        throw madeMeanwhile;
      }
    }
  }

  /** Throws unless {@code dir} belongs to the user this JVM runs as and nobody else may write into it. */
  private static void checkOwnerOnly(Path dir) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
    if (view == null) {
      return; // no POSIX owner to compare (Windows): the user profile's own access rules apply
    }
    Set<PosixFilePermission> permissions = view.readAttributes().permissions();
    if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(dir + " may be written by other users");
    }
    Path probe = uniqueBeside(dir.resolve(".owner"));
    try {
      Files.createFile(probe, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
      if (!Files.getOwner(probe).equals(view.getOwner())) {
        throw new IOException(dir + " belongs to " + view.getOwner().getName() + ", not to this user");
      }
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  /**
   * A name beside {@code file} no other writer uses: this process's id, the thread's and a count. Not
   * {@code Files.createTempFile}, whose first use seeds a {@code SecureRandom} (~16 ms at premain).
   */
  private static Path uniqueBeside(Path file) {
    return file.resolveSibling("." + file.getFileName() + "." + PID + "-" + Thread.currentThread().getId() + "-"
        + COUNT.incrementAndGet() + ".tmp");
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // in use by another JVM, or removed already
    }
  }

  /** Two CRCs of {@code bytes} as 16 hex digits: a name for a directory, never what an entry is matched by. */
  private static String hex64(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes);
    CRC32 d = new CRC32();
    d.update(bytes);
    return hex64(c.getValue() << 32 | d.getValue());
  }

  private static String hex64(long value) {
    String hex = Long.toHexString(value);
    return "0000000000000000".substring(hex.length()) + hex;
  }
}
