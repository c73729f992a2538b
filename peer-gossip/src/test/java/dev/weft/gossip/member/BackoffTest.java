package dev.weft.gossip.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

    @Test
    void delaysDoubleWithJitterAndStopAtTheCap() {
        SplittableRandom r = new SplittableRandom(3);
        for (int failures = 1; failures <= 40; failures++) {
            long plain = Math.min(30_000, 200L << Math.min(failures - 1, 30));
            for (int k = 0; k < 200; k++) {
                long d = backoff.delayMillis(failures, r);
                assertThat(d).as("failure %d", failures).isBetween(plain / 2, Math.min(30_000, plain * 3 / 2));
            }
        }
    }

    @Test
    void jitterSpreadsPeersThatFailedTogether() {
        SplittableRandom r = new SplittableRandom(5);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int k = 0; k < 1000; k++) {
            long d = backoff.delayMillis(4, r);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(max - min).isGreaterThan(1_000); // around 1600 ms, spread over 800..2400
    }
}
