package dev.weft.core.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The core's randomness picks gossip targets and donors: a pick of k is k different peers (a repeat would
 * shrink the fan-out), within what was offered, and the same seed always picks the same ones (replays).
 */
class EntropyTest {
    static final List<Integer> FROM = IntStream.range(0, 20).boxed().toList();

    @Test
    void aPickIsThatManyDifferentElementsAndTheSameForTheSameSeed() {
        for (long seed = 1; seed <= 50; seed++) {
            for (int k : new int[] {0, 1, 5, 19, 20, 25}) {
                List<Integer> picked = new Entropy(seed).pick(FROM, k);
                assertThat(picked).as("seed %d, k %d", seed, k).hasSize(Math.min(k, FROM.size())).doesNotHaveDuplicates();
                assertThat(FROM).containsAll(picked);
                assertThat(new Entropy(seed).pick(FROM, k)).isEqualTo(picked);
            }
        }
    }

    @Test
    void drawsStayWithinTheirBoundAndABoundMustBePositive() {
        Entropy rnd = new Entropy(7);
        for (int i = 0; i < 1000; i++) {
            assertThat(rnd.nextInt(3)).isBetween(0, 2);
        }
        assertThatThrownBy(() -> rnd.nextInt(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bound");
        assertThatThrownBy(() -> rnd.nextInt(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
