package dev.weft.daemon.succession;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.space.Attachment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The union of the sources of live holds: the first source wins a disagreement, a failing source is skipped. */
class LiveHoldsTest {
    static final Attachment A = new Attachment("a", "eth0");
    static final Attachment B = new Attachment("b", "eth0");
    static final Attachment C = new Attachment("c", "eth0", "other-net");

    @Test
    void unitesEverySourceAndKeepsTheFirstAnswerPerAttachment() {
        LiveHolds holds = new LiveHolds();
        holds.add("cache", () -> Map.of(A, 10L, B, 11L));
        holds.add("broken", () -> {
            throw new IllegalStateException("the API server is away");
        });
        holds.add("pods", () -> Map.of(B, 99L, C, 12L));
        assertThat(holds.collect()).containsExactlyInAnyOrderEntriesOf(Map.of(A, 10L, B, 11L, C, 12L));
    }

    @Test
    void noSourceIsNoHold() {
        assertThat(new LiveHolds().collect()).isEmpty();
    }
}
