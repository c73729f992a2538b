package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator's forced removal says the removed install's host is gone with its pods. That settles the
 * wait for what was taken from that install, not for a chained rest: addresses the install had itself
 * taken from a third one, whose pods may still run. The chained rest keeps waiting and keeps the range out
 * of use; the settled one waits, as every forced removal, for this peer to compare rings, and that new
 * wait is what is stored.
 */
class ForcedRestsTest {
    static final PeerId SELF = new PeerId("self", 1);
    static final PeerId REMOVED = new PeerId("removed", 2);

    @Test
    void aForcedRemovalSettlesWhatWasTakenFromTheInstallButNotWhatItHadTakenItself() {
        Cooldowns rests = new Cooldowns();
        Range own = new Range(0, 16);
        Range chained = new Range(16, 32);
        rests.start(own, 100, 0, REMOVED, false);
        rests.start(chained, 100, 0, REMOVED, true);

        List<Record> written = rests.forced(REMOVED, SELF);

        assertThat(written).containsExactly(new Record.Cooldown(own, 100, SELF, false));
        assertThat(rests.awaited()).containsExactlyInAnyOrder(SELF, REMOVED);
        assertThat(rests.records()).contains(new Record.Cooldown(chained, 100, REMOVED, true));
        assertThat(rests.pieces(chained)).as("still out of use, whatever the time")
                .containsExactly(new Cooldowns.Piece(chained, Long.MAX_VALUE));
    }
}
