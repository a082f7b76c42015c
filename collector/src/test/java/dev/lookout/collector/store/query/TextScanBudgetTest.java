package dev.lookout.collector.store.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A text search starts another step only when one as long as the last still ends within its budget. */
class TextScanBudgetTest {

  private static final long MS = 1_000_000;

  @Test
  void aStepThatWouldEndPastTheDeadlineIsNotStarted() {
    long deadline = 25 * MS;
    assertThat(RequestStore.anotherStepFits(4 * MS, 0, deadline)).as("4 ms steps, 21 ms left").isTrue();
    assertThat(RequestStore.anotherStepFits(20 * MS, 16 * MS, deadline)).as("4 ms step, 5 ms left").isTrue();
    assertThat(RequestStore.anotherStepFits(15 * MS, 0, deadline)).as("a 15 ms step, 10 ms left").isFalse();
    assertThat(RequestStore.anotherStepFits(24 * MS, 20 * MS, deadline)).as("4 ms step, 1 ms left").isFalse();
    assertThat(RequestStore.anotherStepFits(26 * MS, 25 * MS, deadline)).as("past the deadline").isFalse();
  }
}
