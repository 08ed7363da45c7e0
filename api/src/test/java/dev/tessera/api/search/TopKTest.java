package dev.tessera.api.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TopKTest {
  record Cand(String id, float score) {}

  @Test
  void should_keep_the_best_k_with_ties_by_ascending_id_whatever_the_order_of_arrival() {
    SplittableRandom r = new SplittableRandom(7);
    for (int round = 0; round < 200; round++) {
      int n = 1 + r.nextInt(300);
      int k = 1 + r.nextInt(40);
      List<Cand> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // few distinct scores, so ties straddle the boundary often
        all.add(new Cand("id" + r.nextInt(100_000), (r.nextInt(7) - 3) / 4f));
      }
      TopK<Cand> top = new TopK<>(k, Cand::id);
      for (Cand c : all) top.offer(c, c.score());
      List<Cand> expected =
          all.stream()
              .sorted(Comparator.comparingDouble((Cand c) -> -c.score()).thenComparing(Cand::id))
              .limit(k)
              .toList();
      List<String> got = top.results().stream().map(s -> s.item().id()).toList();
      assertThat(got).as("round " + round).isEqualTo(expected.stream().map(Cand::id).toList());
    }
  }

  @Test
  void should_ask_for_ids_only_when_scores_tie() {
    AtomicInteger lookups = new AtomicInteger();
    TopK<Integer> top =
        new TopK<>(
            3,
            i -> {
              lookups.incrementAndGet();
              return String.format("%05d", i);
            });
    for (int i = 0; i < 100; i++) top.offer(i, i);
    assertThat(lookups).hasValue(0);
    top.offer(5000, 99f); // ties the best kept score, which is not the boundary: no id needed yet
    assertThat(lookups).hasValue(0);
    assertThat(top.results().stream().map(TopK.Scored::item)).containsExactly(99, 5000, 98);
    assertThat(lookups).as("only the two tied entries are looked up, once each").hasValue(2);
    top.offer(
        6000, 98f); // ties the boundary (the worst kept): ids decide, and 06000 > 00098 stays out
    assertThat(top.results().stream().map(TopK.Scored::item)).containsExactly(99, 5000, 98);
  }

  @Test
  void should_treat_minus_zero_as_zero_and_grow_for_a_huge_k() {
    TopK<String> top = new TopK<>(10_000, s -> s);
    top.offer("b", -0.0f);
    top.offer("a", 0.0f);
    for (int i = 0; i < 5000; i++) top.offer("x" + i, -1f);
    assertThat(top.size()).isEqualTo(5002);
    assertThat(top.results().get(0).item()).isEqualTo("a");
    assertThat(top.results().get(1).item()).isEqualTo("b");
    assertThat(top.competes(-5f)).isTrue();
  }
}
