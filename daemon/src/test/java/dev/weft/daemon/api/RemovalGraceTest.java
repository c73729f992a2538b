package dev.weft.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.peer.PeerId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rmpeer's grace check: by name or name#uid, only within the grace period, never for an install never heard. */
class RemovalGraceTest {
    static final PeerId C = new PeerId("c", 0x3f);
    static final long NOW = 1_000_000_000L;

    @Test
    void refusedWithinTheGracePeriodByNameOrFullId() {
        Map<PeerId, Long> heard = Map.of(C, NOW - 5_000, new PeerId("b", 1), NOW);
        assertThat(RemovalGrace.STANDARD.heardRecently("c", heard, NOW)).contains("c#3f was heard from 5 s ago")
                .contains("retry in 55 s").contains("--force");
        assertThat(RemovalGrace.STANDARD.heardRecently("c", Map.of(C, NOW - 59_001), NOW)).as("rounded up, never 'in 0 s'")
                .contains("retry in 1 s");
        assertThat(RemovalGrace.STANDARD.heardRecently("c#3f", heard, NOW)).isNotNull();
    }

    @Test
    void allowedAfterTheGracePeriodOrWhenNeverHeard() {
        assertThat(RemovalGrace.STANDARD.heardRecently("c", Map.of(C, NOW - RemovalGrace.STANDARD.millis()), NOW)).isNull();
        assertThat(RemovalGrace.STANDARD.heardRecently("c", Map.of(C, 0L), NOW)).isNull();
        assertThat(RemovalGrace.STANDARD.heardRecently("c", Map.of(), NOW)).isNull();
        assertThat(RemovalGrace.STANDARD.heardRecently("c#40", Map.of(C, NOW), NOW)).as("another install of c").isNull();
        assertThat(RemovalGrace.STANDARD.heardRecently("cc", Map.of(C, NOW), NOW)).isNull();
    }
}
