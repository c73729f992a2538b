package dev.weft.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CoreConfig;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Record;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.daemon.api.v1.PeerInfo;
import dev.weft.daemon.api.v1.RingEntry;
import dev.weft.daemon.api.v1.RingReply;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ring and peers views name the owner the core counts, not the entry's fixed-rule winner: when a removed
 * install's last change met its remover's takeover at one version, the removed install's claim is set aside
 * and the remover owns the range (seen on real daemons: c, removed by force, listed as its range's owner).
 */
class ViewsOwnerTest {
    static final Cidr UNIVERSE = Cidr.parse("10.99.0.0/24");
    static final PeerId A = new PeerId("a", 1);
    static final PeerId B = new PeerId("b", 2);
    static final PeerId C = new PeerId("c", 3);

    @Test
    void aRemovedInstallsClaimIsSetAsideInTheRingAndPeersViews() throws Exception {
        long base = UNIVERSE.range().start();
        Range ofC = new Range(base + 171, base + 256);
        List<Record> records = List.of(new Record.Identity(B), new Record.Cluster(new ClusterId("views"), UNIVERSE.range()),
                new Record.RingEntry(Entry.of(base, 1, A, 86, base + 86)),
                new Record.RingEntry(Entry.of(base + 86, 1, B, 85, base + 171)),
                new Record.RingEntry(Entry.ofClaims(ofC.start(), 2, List.of(new Claim(C, 80, ofC.end()),
                        new Claim(A, ofC.size(), ofC.end(), true)))),
                new Record.Tombstone(C));
        Peer b = Peer.recover(CoreConfig.defaults(UNIVERSE, new Bootstrap.Seeds(List.of("a", "b", "c"))), records, 1);
        assertThat(b.ring().entry(2).owner()).as("the fixed-rule winner is the removed install").isEqualTo(C);

        RingReply ring = Views.ring(b);
        RingEntry taken = ring.getEntries(2);
        assertThat(taken.getOwner()).isEqualTo(A.toString());
        assertThat(taken.getFree()).isEqualTo(ofC.size());
        assertThat(taken.getClaimsList()).hasSize(2);

        Map<String, PeerInfo> peers = new HashMap<>();
        Views.peers(b, Map.of()).getPeersList().forEach(p -> peers.put(p.getPeer(), p));
        assertThat(peers.get(A.toString()).getOwned()).isEqualTo(86 + ofC.size());
        assertThat(peers.get(C.toString()).getOwned()).isZero();
        assertThat(peers.get(C.toString()).getTombstoned()).isTrue();
    }
}
