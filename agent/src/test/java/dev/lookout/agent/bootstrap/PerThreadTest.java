package dev.lookout.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PerThreadTest {

  /** Made once: each one made takes one of a slot's few places for good. */
  private static final PerThread<String> values = new PerThread<>();
  private static final PerThread<String> others = new PerThread<>();

  @BeforeEach
  void clearThisThreads() {
    values.set(null);
    others.set(null);
  }

  @Test
  void eachThreadSeesItsOwnValue() throws Exception {
    assertThat(values.get()).isNull();
    values.set("main");
    AtomicReference<String> before = new AtomicReference<>("unset");
    AtomicReference<String> after = new AtomicReference<>();
    run(new Thread(() -> {
      before.set(values.get());
      values.set("other");
      after.set(values.get());
    }));
    assertThat(before.get()).as("another thread's value is not this one's").isNull();
    assertThat(after.get()).isEqualTo("other");
    assertThat(values.get()).isEqualTo("main");
    values.set("main again");
    assertThat(values.get()).isEqualTo("main again");
  }

  @Test
  void eachPerThreadHasItsOwnValueOnAThread() throws Exception {
    values.set("a");
    others.set("b");
    assertThat(values.get()).isEqualTo("a");
    assertThat(others.get()).isEqualTo("b");
    AtomicReference<String> seen = new AtomicReference<>("unset");
    run(new Thread(() -> {
      others.set("c");
      seen.set(values.get());
    }));
    assertThat(seen.get()).isNull();
    assertThat(others.get()).isEqualTo("b");
  }

  @Test
  void onePastTheSlotsPlacesKeepsItsValuesInAThreadLocal() throws Exception {
    PerThread<String> unslotted = PerThread.unslotted();
    assertThat(unslotted.get()).isNull();
    unslotted.set("x");
    values.set("y");
    assertThat(unslotted.get()).isEqualTo("x");
    AtomicReference<String> seen = new AtomicReference<>("unset");
    run(new Thread(() -> seen.set(unslotted.get())));
    assertThat(seen.get()).isNull();
  }

  @Test
  void threadsWhoseIdsShareASlotKeepTheirOwnValues() throws Exception {
    values.set("owner");
    Thread sharing = threadSharingSlotWith(Thread.currentThread(), () -> {});
    CountDownLatch set = new CountDownLatch(1);
    CountDownLatch checked = new CountDownLatch(1);
    AtomicReference<String> seen = new AtomicReference<>();
    Thread second = threadSharingSlotWith(Thread.currentThread(), () -> {
      values.set("second");
      set.countDown();
      await(checked);
      seen.set(values.get());
    });
    second.start();
    set.await();
    assertThat(values.get()).as("the slot's owner keeps its value").isEqualTo("owner");
    checked.countDown();
    second.join();
    assertThat(seen.get()).as("the second thread, displaced, keeps its own").isEqualTo("second");
    assertThat(sharing.getId() & 1023).isEqualTo(Thread.currentThread().getId() & 1023);
  }

  @Test
  void aSlotWhoseOwnerEndedIsTakenOverWithoutItsValue() throws Exception {
    Thread first = new Thread(() -> values.set("first"));
    run(first);
    AtomicReference<String> before = new AtomicReference<>("unset");
    AtomicReference<String> after = new AtomicReference<>();
    run(threadSharingSlotWith(first, () -> {
      before.set(values.get());
      values.set("next");
      after.set(values.get());
    }));
    assertThat(before.get()).as("an ended thread's value is nobody's").isNull();
    assertThat(after.get()).isEqualTo("next");
  }

  /** A new thread whose id falls on the same slot as {@code other}'s (ids are given at construction). */
  @SuppressWarnings("deprecation")
  private static Thread threadSharingSlotWith(Thread other, Runnable body) {
    for (int i = 0; i < 4096; i++) {
      Thread t = new Thread(body);
      if (t.getId() != other.getId() && (t.getId() & 1023) == (other.getId() & 1023)) {
        return t;
      }
    }
    throw new AssertionError("no thread id on the same slot");
  }

  private static void run(Thread t) throws InterruptedException {
    t.start();
    t.join();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
