package dev.weft.gossip.member;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.peer.PeerId;
import dev.weft.gossip.HostPort;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DirectoryTest {
    private static final PeerId SELF = new PeerId("self", 1);
    private static final HostPort ADDR = new HostPort("10.0.0.9", 6784);

    @Test
    void keepsTheLatestLastHeardFromAnySourceAndNeverItself() {
        Directory d = new Directory(SELF);
        PeerId a = new PeerId("a", 2);
        assertThat(d.learn(a, ADDR, 100)).isTrue();
        assertThat(d.learn(a, ADDR, 50)).isFalse();
        assertThat(d.lastHeard()).containsEntry(a, 100L);
        d.learn(a, new HostPort("10.6.6.6", 1), 300);
        assertThat(d.lastHeard()).containsEntry(a, 300L);
        assertThat(d.addressOf(a)).isEqualTo(ADDR); // a second-hand address never replaces a known one
        d.heardFrom(a, new HostPort("10.0.0.10", 6784), 200);
        assertThat(d.lastHeard()).containsEntry(a, 300L);
        assertThat(d.addressOf(a)).isEqualTo(new HostPort("10.0.0.10", 6784)); // first-hand does
        assertThat(d.learn(SELF, ADDR, 999)).isFalse();
        assertThat(d.knows(SELF)).isFalse();
        PeerId quiet = new PeerId("b", 3);
        d.heardFrom(quiet, null, 400); // a link up before any hello: known, with no address yet
        assertThat(d.knows(quiet)).isTrue();
        assertThat(d.addresses()).as("who can be dialled (and routed to), at the first-hand address")
                .containsExactly(java.util.Map.entry(a, new HostPort("10.0.0.10", 6784)));
    }

    @Test
    void aNewerInstallUnderTheSameNameSupersedesTheOld() {
        Directory d = new Directory(SELF);
        PeerId old = new PeerId("node", 2);
        PeerId fresh = new PeerId("node", 3);
        d.learn(old, ADDR, 100);
        assertThat(d.superseded(old)).isFalse();
        d.learn(fresh, ADDR, 200);
        assertThat(d.superseded(old)).isTrue();
        assertThat(d.superseded(fresh)).isFalse();
    }

    @Test
    void aSampleIsBoundedLeadsWithTheFreshestAndReachesEveryoneOverTime() {
        Directory d = new Directory(SELF);
        for (int i = 0; i < 1000; i++) {
            d.learn(new PeerId("p" + i, i + 10), ADDR, i);
        }
        SplittableRandom r = new SplittableRandom(1);
        Set<PeerId> seen = new HashSet<>();
        for (int round = 0; round < 1500; round++) {
            List<Directory.Known> s = d.sample(32, r);
            assertThat(s).hasSize(32).doesNotHaveDuplicates();
            assertThat(s.get(0).lastHeard()).isEqualTo(999);
            s.forEach(k -> seen.add(k.peer()));
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void hostileListsCannotGrowTheBookWithoutBound() {
        Directory d = new Directory(SELF);
        for (int i = 0; i < Directory.MAX_PEERS + 500; i++) {
            d.learn(new PeerId("p" + i, i), ADDR, 1);
        }
        assertThat(d.size()).isEqualTo(Directory.MAX_PEERS);
    }
}
