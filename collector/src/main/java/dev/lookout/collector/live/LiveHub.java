package dev.lookout.collector.live;

import dev.lookout.collector.store.RecordKind;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans committed rows out to live subscribers. Each subscriber has a bounded queue: a client that
 * reads too slowly loses rows (counted and told), it never makes the collector hold more memory.
 */
public final class LiveHub {

  /** Rows buffered per subscriber before it starts skipping. */
  public static final int SUBSCRIBER_BUFFER = 1000;

  /** Decides, per subscriber, which rows it wants. */
  @FunctionalInterface
  public interface Filter {
    boolean accepts(RecordKind kind, Object row);
  }

  /** A row on its way to a client. */
  public record Event(RecordKind kind, Object row) {}

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  public Subscriber subscribe(Filter filter) {
    Subscriber s = new Subscriber(filter);
    subscribers.add(s);
    return s;
  }

  public int subscriberCount() {
    return subscribers.size();
  }

  /** Called on the writer's thread after a commit (the wiring listens to the writer with it); never blocks. */
  public void publish(RecordKind kind, List<?> rows) {
    for (Subscriber s : subscribers) {
      for (Object r : rows) {
        if (s.filter.accepts(kind, r) && !s.queue.offer(new Event(kind, r))) {
          s.skipped.incrementAndGet();
        }
      }
    }
  }

  /** One live client. */
  public final class Subscriber implements AutoCloseable {
    private final Filter filter;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(SUBSCRIBER_BUFFER);
    private final AtomicLong skipped = new AtomicLong();

    private Subscriber(Filter filter) {
      this.filter = filter;
    }

    /** The next row, or null after the timeout. */
    public Event next(long timeout, TimeUnit unit) throws InterruptedException {
      return queue.poll(timeout, unit);
    }

    /** The next row if one is queued, else null. */
    public Event poll() {
      return queue.poll();
    }

    /** Rows dropped since the last call because this client was behind. */
    public long takeSkipped() {
      return skipped.getAndSet(0);
    }

    @Override
    public void close() {
      subscribers.remove(this);
    }
  }
}
