package dev.weft.bench;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Founding;
import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Merge;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingMismatchException;
import dev.weft.core.ring.RingPiece;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Merging a peer's whole ring into ours, for 100 and 1000 peers with four entries each (the shape of
 * Weave's benchmark after some donations), where 1% of entries differ, or none. The incoming ring is a
 * deep copy, as if decoded from the wire, so nothing is shared by reference; {@code ours} never changes, so
 * every invocation merges the same difference. {@code validateAndMerge} also builds and checks the incoming
 * ring each time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RingMergeBenchmark {
    @Param({"100", "1000"})
    int peers;

    @Param({"0.01", "0"})
    double changed;

    Ring ours;
    RingPiece theirs;

    @Setup
    public void build() throws RingMismatchException {
        Range universe = Cidr.parse("10.32.0.0/12").range();
        List<PeerId> members = new ArrayList<>();
        Entropy rnd = new Entropy(7);
        for (int i = 0; i < peers; i++) {
            members.add(new PeerId("node-" + i, rnd.nextLong()));
        }
        Ring ring = Founding.ring(universe, members);
        // Every peer splits its share into four, as after a few donations: 4 entries per peer.
        for (int i = 0; i < peers; i++) {
            PeerId p = ring.ownerAt(ring.indexOf(universe.share(i, peers).start()));
            Range share = universe.share(i, peers);
            long q = share.size() / 4;
            ring = ring.edit(p, r -> r.size()).split(share.start() + q).split(share.start() + 2 * q)
                    .split(share.start() + 3 * q).commit().ring();
        }
        ours = ring;
        // Theirs: the same ring, with 1% of the entries newer (an owner reported a new free count).
        Ring other = ring;
        int toChange = (int) Math.round(ring.size() * changed);
        for (int k = 0; k < toChange; k++) {
            int i = rnd.nextInt(other.size());
            other = other.edit(other.ownerAt(i), r -> r.size()).reportFree(other.entry(i).token(), rnd.nextLong(100))
                    .commit().ring();
        }
        theirs = deepCopy(other.whole());
        if (merge().changed() != (toChange > 0) || validateAndMerge().changedTokens().length != merge().changedTokens().length) {
            throw new IllegalStateException("the incoming ring does not differ from ours as the benchmark claims");
        }
    }

    static RingPiece deepCopy(RingPiece p) {
        List<Entry> entries = new ArrayList<>();
        for (Entry e : p.entries()) {
            List<Claim> claims = new ArrayList<>();
            for (Claim c : e.claims()) {
                claims.add(new Claim(new PeerId(new String(c.owner().name()), c.owner().uid()), c.free(), c.end()));
            }
            entries.add(Entry.ofClaims(e.token(), e.version(), claims));
        }
        return new RingPiece(p.cluster(), p.universe(), entries, p.tombstones(), p.complete());
    }

    @Benchmark
    public Merge merge() throws RingMismatchException {
        return ours.merge(theirs);
    }

    /**
     * The same merge, with the incoming ring built and checked first as a decoder builds it: every claim,
     * entry and the piece's own shape checks (tokens increasing, inside the universe, ends and free counts in
     * bounds), the work a peer does on hostile input before it merges, protobuf aside.
     */
    @Benchmark
    public Merge validateAndMerge() throws RingMismatchException {
        return ours.merge(deepCopy(theirs));
    }
}
