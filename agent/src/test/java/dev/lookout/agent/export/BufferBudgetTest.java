package dev.lookout.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BufferBudgetTest {

  @Test
  void theLastRecordThatFitsIsTakenAndTheNextIsRefusedWithoutTakingRoom() {
    BufferBudget budget = new BufferBudget(3, 1_000);
    assertThat(budget.take(100)).isTrue();
    assertThat(budget.take(100)).isTrue();
    assertThat(budget.take(100)).isTrue(); // the third of three
    assertThat(budget.take(1)).isFalse();
    assertThat(budget.records()).isEqualTo(3);
    assertThat(budget.bytes()).isEqualTo(300);

    budget.give(1, 100);
    assertThat(budget.take(100)).isTrue();
    assertThat(budget.records()).isEqualTo(3);
  }

  @Test
  void aRecordThatFillsTheBytesExactlyIsTakenAndOneByteMoreIsRefused() {
    BufferBudget budget = new BufferBudget(10, 1_000);
    assertThat(budget.take(600)).isTrue();
    assertThat(budget.take(401)).isFalse();
    assertThat(budget.take(400)).isTrue(); // exactly the bound
    assertThat(budget.take(1)).isFalse();
    assertThat(budget.records()).isEqualTo(2);
    assertThat(budget.bytes()).isEqualTo(1_000);
  }

  @Test
  void aRecordLargerThanTheWholeBudgetIsRefusedOnAnEmptyBuffer() {
    BufferBudget budget = new BufferBudget(10, 1_000);
    assertThat(budget.take(1_001)).isFalse();
    assertThat(budget.records()).isZero();
    assertThat(budget.bytes()).isZero();
    assertThat(budget.take(1_000)).isTrue();
  }
}
