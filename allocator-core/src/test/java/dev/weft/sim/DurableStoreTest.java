package dev.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Record;
import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Entry;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The simulator's compact store holds exactly what a map of the latest record per key would (what it replaced,
 * and what the oracle's durability checks compare with a peer's memory), through packs, deletes, copies and
 * restores.
 */
class DurableStoreTest {
    static final PeerId[] OWNERS = {new PeerId("a", 1), new PeerId("b", 2), new PeerId("c", 3)};

    @Test
    void holdsTheLatestRecordPerKeyAsAMapWould() {
        for (long seed = 1; seed <= 20; seed++) {
            Entropy rnd = new Entropy(seed);
            DurableStore store = new DurableStore();
            Map<String, Record> reference = new LinkedHashMap<>();
            DurableStore copy = null;
            Map<String, Record> copied = null;
            for (int step = 0; step < 3_000; step++) {
                Record r = random(rnd);
                store.write(r);
                if (r.deletes()) {
                    reference.remove(r.key());
                } else {
                    reference.put(r.key(), r);
                }
                if (rnd.nextInt(500) == 0) {
                    copy = store.copy();
                    copied = new TreeMap<>(reference);
                }
                String probe = random(rnd).key();
                assertThat(store.containsKey(probe)).as("seed %d step %d: %s", seed, step, probe)
                        .isEqualTo(reference.containsKey(probe));
            }
            assertThat(store.asMap()).as("seed %d", seed).isEqualTo(new TreeMap<>(reference));
            assertThat(store.records()).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(reference.values());
            assertThat(store.isEmpty()).isEqualTo(reference.isEmpty());
            for (PeerId p : OWNERS) {
                assertThat(store.names(p)).isEqualTo(reference.values().stream().anyMatch(r -> names(r, p)));
            }
            if (copy != null) {
                // Writes after the copy do not show in it, and a restore brings back exactly the copy.
                assertThat(copy.asMap()).isEqualTo(copied);
                store.replaceWith(copy);
                assertThat(store.asMap()).isEqualTo(copied);
                store.write(new Record.RingEntry(Entry.of(7, 99, OWNERS[0], 1, 8)));
                assertThat(copy.asMap()).isEqualTo(copied);
            }
            store.clear();
            assertThat(store.isEmpty()).isTrue();
            assertThat(store.asMap()).isEmpty();
        }
    }

    private static boolean names(Record r, PeerId p) {
        return r instanceof Record.Tombstone t && t.peer().equals(p)
                || r instanceof Record.RingEntry e && e.entry().claims().stream().anyMatch(c -> c.owner().equals(p));
    }

    /** Ring entries at 200 tokens (most writes), holds and their releases, tombstones. */
    private static Record random(Entropy rnd) {
        int kind = rnd.nextInt(10);
        if (kind < 7) {
            long token = rnd.nextInt(200) * 16L;
            return new Record.RingEntry(Entry.of(token, 1 + rnd.nextInt(50), OWNERS[rnd.nextInt(OWNERS.length)],
                    rnd.nextInt(16), token + 16));
        }
        Attachment who = new Attachment("c" + rnd.nextInt(30), "eth0");
        if (kind == 7) {
            return new Record.Held(new Hold(who, 1000 + rnd.nextInt(30)));
        }
        if (kind == 8) {
            return new Record.Freed(who);
        }
        return new Record.Tombstone(OWNERS[rnd.nextInt(OWNERS.length)]);
    }
}
