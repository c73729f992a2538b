package dev.weft.core.ring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Founding;
import dev.weft.core.peer.PeerId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A takeover of an install takes what it may have used, never an entry where its takeover claim lost to a live
 * install's ordinary claim (soak seed 6825 of the segment exchange): A gave its range to C; B, not knowing,
 * removed A and wrote a takeover claim at the same version, which C's ordinary claim beats; D then removed B.
 */
class TakeoverOfLoserTest {
    static final Range UNIVERSE = Cidr.parse("10.32.0.0/22").range();
    final PeerId a = new PeerId("a", 1);
    final PeerId b = new PeerId("b", 2);
    final PeerId c = new PeerId("c", 3);
    final PeerId d = new PeerId("d", 4);
    final Ring founded = Founding.ring(UNIVERSE, List.of(a, b, c, d));
    final Range aRange = founded.rangesOwnedBy(a).get(0);

    @Test
    void aRemovalLeavesAnEntryWhereTheRemovedInstallsTakeoverLostToALiveOwner() throws Exception {
        Ring given = founded.edit(a, Range::size).give(aRange, c).commit().ring();
        Ring takenByB = founded.edit(b, Range::size).takeOver(a).commit().ring();
        Ring joined = given.merge(takenByB.whole()).ring();
        assertThat(joined.entryFor(aRange.start()).claims()).hasSize(2);
        assertThat(joined.ownerOf(aRange.start())).isEqualTo(c);

        Ring takenByD = joined.edit(d, Range::size).takeOver(b).commit().ring();

        assertThat(takenByD.ownerOf(aRange.start())).isEqualTo(c);
        assertThat(takenByD.entryFor(aRange.start())).isEqualTo(joined.entryFor(aRange.start()));
        Range bRange = founded.rangesOwnedBy(b).get(0);
        assertThat(takenByD.ownerOf(bRange.start())).isEqualTo(d);
    }

    @Test
    void aRemovalStillTakesWhatTheRemovedInstallHadTakenWhenItsTakeoverCounts() {
        Ring takenByB = founded.edit(b, Range::size).takeOver(a).commit().ring();

        Ring takenByD = takenByB.edit(d, Range::size).takeOver(b).commit().ring();

        assertThat(takenByD.ownerOf(aRange.start())).isEqualTo(d);
    }
}
