package dev.lookout.agent.bootstrap;

/**
 * A container's own reading of the header fields of its request and response objects, where the agent
 * has one for that container. The servlet API makes collections to answer for headers: a set of the
 * names, then a list or an enumeration per name. On Jetty 12, building those for a plain response was
 * most of what reading its headers cost the request thread. A reader walks the container's field list
 * instead, adding nothing but the pairs.
 *
 * <p>A reader is compiled against its container, so it is a helper defined in the container's class
 * loader, found there by name the first time an object of a registered container class is seen, and
 * kept for that class. Any other class (a wrapper, another container) reads through the servlet API, as
 * does a class whose reader fails once. JDK types only: a bootstrap bridge class.
 */
public abstract class ContainerHeaders {

  /** The most classes remembered; beyond that, unregistered classes are answered by their name alone. */
  static final int MAX_KNOWN = 16;
  private static final Object NONE = new Object();
  /** Container class name, then its reader's class name, pair by pair. */
  private static volatile String[] registered = new String[0];
  /** Class, then its reader or {@link #NONE}, pair by pair; replaced, never changed. */
  private static volatile Object[] known = new Object[0];

  /** Adds {@code requestOrResponse}'s header fields to {@code pairs}, a pair per field, in the container's order. */
  protected abstract void fields(Object requestOrResponse, HeaderPairs pairs);

  /** Objects of {@code containerClass} are read by {@code readerClass}, once it is defined in that class's loader. */
  public static synchronized void register(String containerClass, String readerClass) {
    String[] more = new String[registered.length + 2];
    System.arraycopy(registered, 0, more, 0, registered.length);
    more[registered.length] = containerClass;
    more[registered.length + 1] = readerClass;
    registered = more;
  }

  /**
   * Reads {@code target}'s headers into {@code pairs} when its container has a reader; false (and
   * {@code pairs} as it was) when the servlet API must be asked instead.
   */
  public static boolean read(Object target, HeaderPairs pairs) {
    Class<?> type = target.getClass();
    Object[] k = known;
    for (int i = 0; i < k.length; i += 2) {
      if (k[i] == type) {
        return k[i + 1] != NONE && readWith((ContainerHeaders) k[i + 1], type, target, pairs);
      }
    }
    if (k.length >= 2 * MAX_KNOWN && readerOf(type.getName()) == null) {
      return false; // many wrapper classes already: one more is answered by its name, not remembered
    }
    ContainerHeaders reader = resolve(type);
    return reader != null && readWith(reader, type, target, pairs);
  }

  /** The reader's class name registered for {@code className}, or null. */
  private static String readerOf(String className) {
    String[] r = registered;
    for (int i = 0; i < r.length; i += 2) {
      if (r[i].equals(className)) {
        return r[i + 1];
      }
    }
    return null;
  }

  private static boolean readWith(ContainerHeaders reader, Class<?> type, Object target, HeaderPairs pairs) {
    int before = pairs.size();
    try {
      reader.fields(target, pairs);
      return true;
    } catch (Throwable t) {
      pairs.truncate(before);
      remember(type, NONE); // a container version this reader does not fit: the servlet API from now on
      return false;
    }
  }

  /**
   * Finds the reader of {@code type} and remembers it (or that there is none). No lock is held while
   * its class is loaded: two threads may find it at once, and the first one remembered wins.
   */
  private static ContainerHeaders resolve(Class<?> type) {
    String readerName = readerOf(type.getName());
    ContainerHeaders reader = null;
    if (readerName != null) {
      try {
        reader = (ContainerHeaders) Class.forName(readerName, true, type.getClassLoader())
            .getDeclaredConstructor().newInstance();
      } catch (Throwable notThere) {
        // the helper was not defined in that loader: the servlet API answers
      }
    }
    if (readerName == null && known.length >= 2 * MAX_KNOWN) {
      return null;
    }
    Object kept = rememberFirst(type, reader == null ? NONE : reader);
    return kept == NONE ? null : (ContainerHeaders) kept;
  }

  /** Remembers {@code reader} for {@code type} unless something is already; returns what is remembered. */
  private static synchronized Object rememberFirst(Class<?> type, Object reader) {
    Object[] k = known;
    for (int i = 0; i < k.length; i += 2) {
      if (k[i] == type) {
        return k[i + 1];
      }
    }
    remember(type, reader);
    return reader;
  }

  private static synchronized void remember(Class<?> type, Object reader) {
    Object[] k = known;
    for (int i = 0; i < k.length; i += 2) {
      if (k[i] == type) {
        Object[] changed = k.clone();
        changed[i + 1] = reader;
        known = changed;
        return;
      }
    }
    Object[] more = new Object[k.length + 2];
    System.arraycopy(k, 0, more, 0, k.length);
    more[k.length] = type;
    more[k.length + 1] = reader;
    known = more;
  }
}
