package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One daemon may serve several CNI networks: the network is part of an attachment's identity, and a
 * release or GC on one network never frees another's addresses (issue 9).
 */
class NetworksTest {
    /** The one-peer harness (a store kept as the daemon keeps it), used rather than inherited. */
    final PeerTest h = new PeerTest();
    static final Attachment A_ETH0 = new Attachment("c1", "eth0", "net-a");
    static final Attachment B_ETH0 = new Attachment("c1", "eth0", "net-b");

    @Test
    void theSameContainerAndInterfaceOnTwoNetworksAreTwoAttachments() {
        Peer p = h.solo();
        long a = h.assigned(h.ask(p, id -> new Input.Allocate(id, A_ETH0, null)));
        long b = h.assigned(h.ask(p, id -> new Input.Allocate(id, B_ETH0, null)));
        assertThat(a).isNotEqualTo(b);
        assertThat(A_ETH0).isNotEqualTo(B_ETH0);
        assertThat(h.assigned(h.ask(p, id -> new Input.Allocate(id, A_ETH0, null)))).as("idempotent per network").isEqualTo(a);
        assertThat(new Record.Held(new Hold(A_ETH0, a)).key()).isNotEqualTo(new Record.Held(new Hold(B_ETH0, a)).key());
        h.ask(p, id -> new Input.Release(id, A_ETH0));
        assertThat(p.space().addressOf(B_ETH0)).isEqualTo(b);
    }

    @Test
    void theTwoArgumentAttachmentIsOnTheDefaultNetwork() {
        assertThat(new Attachment("c1", "eth0").network()).isEqualTo(Attachment.DEFAULT_NETWORK).isEqualTo("weft");
        assertThat(new Attachment("c1", "eth0")).isEqualTo(new Attachment("c1", "eth0", "weft"));
        assertThat(new Input.ReleaseContainer(1, "c1").network()).isEqualTo("weft");
        assertThat(new Input.Gc(1, Set.of()).network()).isEqualTo("weft");
        assertThat(new Attachment("c1", "eth0").toString()).isEqualTo("c1/eth0");
        assertThat(A_ETH0.toString()).isEqualTo("c1/eth0@net-a");
    }

    @Test
    void holdKeysAreUnambiguousWhateverTheNamesHold() {
        // Without a length prefix "a/b" + "c" and "a" + "b/c" would share a key, and a release of one
        // would delete the other's record.
        Set<String> keys = new HashSet<>();
        List<Attachment> all = List.of(new Attachment("a/b", "c", "n"), new Attachment("a", "b/c", "n"),
                new Attachment("a\nb", "c", "n"), new Attachment("a", "b\nc", "n"), new Attachment("n/a", "b", "n"),
                new Attachment("a", "b", "n.a"), new Attachment("1/a", "b", "n"), new Attachment("a", "b"));
        for (Attachment a : all) {
            keys.add(new Record.Freed(a).key());
        }
        assertThat(keys).hasSize(all.size());
    }

    @Test
    void badNetworkNamesAreRefusedWithWhatToDo() {
        for (String bad : new String[] {"", "has space", "a/b", "-lead", "x".repeat(256)}) {
            assertThatThrownBy(() -> new Attachment("c1", "eth0", bad)).hasMessageContaining("CNI network name");
        }
        assertThatThrownBy(() -> new Attachment("c1", "eth0", null)).hasMessageContaining("CNI network name");
        assertThatThrownBy(() -> new Input.ReleaseContainer(1, "c1", "a b")).hasMessageContaining("CNI network name");
        assertThatThrownBy(() -> new Input.Gc(1, Set.of(A_ETH0), "net-b")).hasMessageContaining("one GC per network");
    }

    @Test
    void releasingAContainerOnOneNetworkLeavesItsOtherNetworksAlone() {
        Peer p = h.solo();
        Attachment aNet1 = new Attachment("c1", "net1", "net-a");
        h.ask(p, id -> new Input.Allocate(id, A_ETH0, null));
        h.ask(p, id -> new Input.Allocate(id, aNet1, null));
        long b = h.assigned(h.ask(p, id -> new Input.Allocate(id, B_ETH0, null)));
        Result rc = h.ask(p, id -> new Input.ReleaseContainer(id, "c1", "net-a"));
        assertThat(((Result.Released) rc).freed()).extracting(Hold::attachment).containsExactlyInAnyOrder(A_ETH0, aNet1);
        assertThat(p.space().addressOf(B_ETH0)).isEqualTo(b);
        assertThat(h.store.values()).contains(new Record.Held(new Hold(B_ETH0, b)));
        Result onDefault = h.ask(p, id -> new Input.ReleaseContainer(id, "c1"));
        assertThat(((Result.Released) onDefault).freed()).as("c1 has nothing on the default network").isEmpty();
        assertThat(p.space().addressOf(B_ETH0)).isEqualTo(b);
    }

    @Test
    void aGcOfOneNetworkNeverReleasesAnotherNetworksHolds() {
        Peer p = h.solo();
        Attachment aGone = new Attachment("c2", "eth0", "net-a");
        Attachment onDefault = new Attachment("c3", "eth0");
        h.ask(p, id -> new Input.Allocate(id, A_ETH0, null));
        h.ask(p, id -> new Input.Allocate(id, aGone, null));
        long b = h.assigned(h.ask(p, id -> new Input.Allocate(id, B_ETH0, null)));
        long d = h.assigned(h.ask(p, id -> new Input.Allocate(id, onDefault, null)));
        Result gc = h.ask(p, id -> new Input.Gc(id, Set.of(A_ETH0), "net-a"));
        assertThat(((Result.Released) gc).freed()).extracting(Hold::attachment).containsExactly(aGone);
        assertThat(p.space().addressOf(B_ETH0)).isEqualTo(b);
        assertThat(p.space().addressOf(onDefault)).isEqualTo(d);
        Result empty = h.ask(p, id -> new Input.Gc(id, Set.of(), "net-b"));
        assertThat(((Result.Released) empty).freed()).extracting(Hold::attachment).containsExactly(B_ETH0);
        assertThat(p.space().addressOf(A_ETH0)).as("net-a untouched by net-b's GC").isGreaterThanOrEqualTo(0);
        assertThat(p.space().addressOf(onDefault)).isEqualTo(d);
    }

    @Test
    void networksSurviveARestart() throws Exception {
        Peer p = h.solo();
        long a = h.assigned(h.ask(p, id -> new Input.Allocate(id, A_ETH0, null)));
        long b = h.assigned(h.ask(p, id -> new Input.Allocate(id, B_ETH0, null)));
        Peer back = Peer.recover(p.config(), new ArrayList<>(h.store.values()), 2);
        assertThat(back.space().addressOf(A_ETH0)).isEqualTo(a);
        assertThat(back.space().addressOf(B_ETH0)).isEqualTo(b);
        assertThat(back.space().addressOf(new Attachment("c1", "eth0"))).isEqualTo(-1);
    }
}
