package dev.weft.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.peer.PeerId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rmpeer's grace check: by name or name#uid, only within the grace period, never for an install never heard. */
class RemovalGraceTest {
    static final PeerId C = new PeerId("c", 0x3f);
    static final long NOW = 1_000_000_000L;
    static final RemovalGrace GRACE = RemovalGrace.STANDARD;

    @Test
    void refusedWithinTheGracePeriodByNameOrFullId() {
        Map<PeerId, Long> heard = Map.of(C, NOW - 5_000, new PeerId("b", 1), NOW);
        assertThat(GRACE.heardRecently("c", heard, NOW)).contains("c#3f was heard from 5 s ago")
                .contains("retry in 55 s").contains("--force");
        assertThat(GRACE.heardRecently("c", Map.of(C, NOW - 59_001), NOW)).as("rounded up, never 'in 0 s'")
                .contains("retry in 1 s");
        assertThat(GRACE.heardRecently("c#3f", heard, NOW)).isNotNull();
    }

    @Test
    void allowedAfterTheGracePeriodOrWhenNeverHeard() {
        assertThat(GRACE.heardRecently("c", Map.of(C, NOW - GRACE.millis()), NOW)).isNull();
        assertThat(GRACE.heardRecently("c", Map.of(C, 0L), NOW)).isNull();
        assertThat(GRACE.heardRecently("c", Map.of(), NOW)).isNull();
        assertThat(GRACE.heardRecently("c#40", Map.of(C, NOW), NOW)).as("another install of c").isNull();
        assertThat(GRACE.heardRecently("cc", Map.of(C, NOW), NOW)).isNull();
    }

    @Test
    void aShorterGraceIsHonouredDownToItsFloor() {
        RemovalGrace short20 = new RemovalGrace(20_000);
        assertThat(short20.heardRecently("c", Map.of(C, NOW - 5_000), NOW)).contains("retry in 15 s")
                .contains("after 20 s without word");
        assertThat(short20.heardRecently("c", Map.of(C, NOW - 20_000), NOW)).isNull();
        assertThat(GRACE.heardRecently("c", Map.of(C, NOW - 20_000), NOW)).as("the default still waits").isNotNull();
        assertThatThrownBy(() -> new RemovalGrace(RemovalGrace.MIN_MILLIS - 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("15 s");
    }
}
