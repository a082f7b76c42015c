package dev.lookout.collector.live;

import dev.lookout.collector.store.RequestQuery;
import dev.lookout.collector.store.RequestRecord;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Fans committed rows out to live subscribers. Each subscriber has a bounded queue: a client that
 * reads too slowly loses rows (counted and told), it never makes the collector hold more memory.
 */
public final class LiveHub {

  /** Rows buffered per subscriber before it starts skipping. */
  public static final int SUBSCRIBER_BUFFER = 1000;

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  public Subscriber subscribe(RequestQuery filter) {
    Subscriber s = new Subscriber(filter);
    subscribers.add(s);
    return s;
  }

  public int subscriberCount() {
    return subscribers.size();
  }

  /** Called by the writer after a commit; never blocks. */
  public void publishRequests(List<RequestRecord> rows) {
    for (Subscriber s : subscribers) {
      for (RequestRecord r : rows) {
        if (s.filter.test(r) && !s.queue.offer(r)) {
          s.skipped.incrementAndGet();
        }
      }
    }
  }

  /** One live client. */
  public final class Subscriber implements AutoCloseable {
    private final Predicate<RequestRecord> filter;
    private final BlockingQueue<RequestRecord> queue = new ArrayBlockingQueue<>(SUBSCRIBER_BUFFER);
    private final AtomicLong skipped = new AtomicLong();

    private Subscriber(RequestQuery filter) {
      this.filter = filter.predicate();
    }

    /** The next row, or null after the timeout. */
    public RequestRecord next(long timeout, TimeUnit unit) throws InterruptedException {
      return queue.poll(timeout, unit);
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
