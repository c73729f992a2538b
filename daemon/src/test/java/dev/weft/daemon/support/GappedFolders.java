package dev.weft.daemon.support;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.node.Record;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Gap;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingPiece;
import dev.weft.daemon.store.Store;
import dev.weft.daemon.store.StoreRefusedException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The data folders of {@link ThreePeers}' a, b and c, written before any daemon starts, as they would be
 * after every copy of one split was lost: a gap. No fault makes one cheaply (a split travels with the entry
 * that follows it, and its maker has it on disk before anyone hears of it), so the state is built here
 * through the core's own ring editing and records, and weftd's own store.
 *
 * <p>The ring is the three seeds' first ring, after which {@code a} gave all but the first {@code keep}
 * addresses of its share to {@code b} (so a has little space of its own), and {@code c} cut its share at
 * {@code lostAt}. The token at {@code lostAt} is then left out of every folder: c's entry ends there and
 * nothing starts there, so {@code [lostAt, end of universe)} is a gap.
 */
public final class GappedFolders {
    private GappedFolders() {}

    /** Writes the folders under {@code dir} (where {@link ThreePeers} looks) and returns the gap. */
    public static Range write(Path dir, String universe, long keep, long lostAt)
            throws IOException, StoreRefusedException {
        Range space = Cidr.parse(universe).range();
        SecureRandom random = new SecureRandom();
        List<PeerId> ids = new ArrayList<>();
        for (String name : ThreePeers.NAMES) {
            ids.add(new PeerId(name, random.nextLong()));
        }
        Ring first = Ring.initial(new ClusterId("gapped-" + Long.toHexString(random.nextLong())), space, ids);
        PeerId a = ids.get(0);
        Range ofA = first.rangesOwnedBy(a).get(0);
        Ring given = first.edit(a, Range::size).give(new Range(ofA.start() + keep, ofA.end()), ids.get(1)).commit()
                .ring();
        Ring split = given.edit(ids.get(2), Range::size).split(lostAt).commit().ring();

        List<Record> kept = new ArrayList<>();
        kept.add(new Record.Cluster(split.cluster(), space));
        for (int i = 0; i < split.size(); i++) {
            Entry e = split.entry(i);
            if (e.token() != lostAt) {
                kept.add(new Record.RingEntry(e));
            }
        }
        for (PeerId id : ids) {
            List<Record> records = new ArrayList<>(kept);
            records.add(0, new Record.Identity(id));
            try (Store s = Store.open(dir.resolve(id.name()).resolve("data"))) {
                s.write(records);
            }
        }
        // What the daemons will read: check it is the gap this class promises, not a ring it did not mean.
        List<Gap> gaps = Gap.in(Ring.of(new RingPiece(split.cluster(), space,
                kept.stream().filter(r -> r instanceof Record.RingEntry).map(r -> ((Record.RingEntry) r).entry())
                        .toList(), split.tombstones(), true)));
        Range gap = new Range(lostAt, space.end());
        if (!gaps.equals(List.of(new Gap(gap)))) {
            throw new IllegalStateException("the written ring has gaps " + gaps + ", not just " + gap);
        }
        return gap;
    }
}
