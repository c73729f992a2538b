package dev.weft.bench.wire;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Merge;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingPiece;
import dev.weft.gossip.wire.Intake;
import dev.weft.gossip.wire.MessageDecoder;
import dev.weft.gossip.wire.MessageEncoder;
import dev.weft.gossip.wire.Interner;
import dev.weft.gossip.wire.RingPieceReader;
import dev.weft.gossip.wire.proto.RingPieceMsg;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
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
 * What a peer pays for a whole ring arriving from the wire: protobuf bytes parsed, every entry checked and
 * rebuilt by the codec, and the result merged into our ring. {@code peers} peers own four ranges each (the
 * shape after some donations: 4000 entries at 1000 peers); in theirs exactly {@code changed} of the entries
 * (40 of 4000) are one version newer with a new free count, and {@code ours} never changes, so every
 * invocation merges a ring that differs by that much (checked at setup, for every path).
 *
 * <p>{@code decode} and {@code decodeAndMerge} take the path frames take: {@link RingPieceReader} with the
 * transport's {@link Interner}, into {@code ours}, a ring learned from the wire through that interner (as a
 * peer's ring is, but for its own entries), so its installs and unchanged entries are the decoded instances.
 * {@code decodeAndMergeCold} is the same reader with nothing kept, into {@code oursFresh}, a ring built of its
 * own objects (a peer that just read its ring from disk, receiving its first frame): every install and entry
 * built afresh and compared field by field. The {@code Generated} variants are the reference path (protobuf's
 * generated parser, everything built afresh) into {@code oursFresh}, as every frame was read before;
 * {@code parse} is protobuf's generated parse alone. The same bytes arrive at every invocation of
 * {@code decodeAndMerge}, so the reader's last whole ring is the arriving one; {@code decodeAndMergeInTurn}
 * has two peers' rings, each 1% newer than ours elsewhere, arrive in turn, so it never is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WireMergeBenchmark {
    @Param({"1000"})
    int peers;

    @Param({"0.01"})
    double changed;

    Ring ours;
    Ring oursFresh;
    byte[] theirs;
    /** A second peer's ring, 1% newer than ours elsewhere, for {@link #decodeAndMergeInTurn}. */
    byte[] theirsElsewhere;
    private boolean turn;
    /** The transport's table of what it has decoded (one per peer in production, as large). */
    Interner known;

    @Setup
    public void build() {
        Range universe = Cidr.parse("10.32.0.0/12").range();
        SplittableRandom rnd = new SplittableRandom(11);
        int n = peers * 4;
        List<PeerId> owners = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            owners.add(new PeerId("ip-10-0-" + (i / 250) + "-" + (i % 250) + ".ec2.internal", rnd.nextLong()));
        }
        // Exactly this many entries are newer in theirs, at random places; as many others in the second peer's.
        int toChange = (int) Math.round(n * changed);
        java.util.Set<Integer> newer = new java.util.HashSet<>();
        while (newer.size() < toChange) {
            newer.add(rnd.nextInt(n));
        }
        // (Its own generator, so ours and theirs are the very rings measured before it was added.)
        SplittableRandom elsewhere = new SplittableRandom(12);
        java.util.Set<Integer> newerElsewhere = new java.util.HashSet<>();
        while (newerElsewhere.size() < toChange) {
            int i = elsewhere.nextInt(n);
            if (!newer.contains(i)) {
                newerElsewhere.add(i);
            }
        }
        List<Entry> mine = new ArrayList<>(n);
        List<Entry> other = new ArrayList<>(n);
        List<Entry> second = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Range r = universe.share(i, n);
            long version = 1 + rnd.nextInt(20);
            long free = rnd.nextLong(r.size() + 1);
            PeerId owner = owners.get(i / 4);
            Entry same = Entry.of(r.start(), version, owner, free, r.end());
            mine.add(same);
            other.add(newer.contains(i) ? Entry.of(r.start(), version + 1, owner, rnd.nextLong(r.size() + 1), r.end())
                    : same);
            second.add(newerElsewhere.contains(i)
                    ? Entry.of(r.start(), version + 1, owner, elsewhere.nextLong(r.size() + 1), r.end()) : same);
        }
        ClusterId cluster = new ClusterId("bench-cluster");
        known = new Interner(Intake.KEPT_INSTALLS, Intake.KEPT_ENTRIES);
        oursFresh = Ring.of(new RingPiece(cluster, universe, mine, new TreeSet<>(), true));
        try {
            byte[] ourBytes = MessageEncoder.piece(oursFresh.whole()).toByteArray();
            ours = Ring.of(RingPieceReader.read(ourBytes, 0, ourBytes.length, known));
        } catch (Exception e) {
            throw new IllegalStateException("our own ring did not survive the codec: " + e.getMessage(), e);
        }
        theirs = MessageEncoder.piece(new RingPiece(cluster, universe, other, new TreeSet<>(), true)).toByteArray();
        theirsElsewhere = MessageEncoder.piece(new RingPiece(cluster, universe, second, new TreeSet<>(), true))
                .toByteArray();
        check(toChange, "hand-written reader", this::decodeAndMerge);
        check(toChange, "hand-written reader, two peers' rings in turn", this::decodeAndMergeInTurn);
        check(toChange, "hand-written reader, two peers' rings in turn", this::decodeAndMergeInTurn);
        check(toChange, "hand-written reader keeping nothing", this::decodeAndMergeCold);
        check(toChange, "generated reader", this::decodeAndMergeGenerated);
    }

    /**
     * The state is what the figure claims: every invocation merges the same incoming ring, which differs from
     * ours (never merged into ours between invocations) in exactly {@code toChange} entries, each taken.
     */
    private void check(int toChange, String path, java.util.concurrent.Callable<Merge> decodeAndMerge) {
        try {
            Merge m = decodeAndMerge.call();
            if (m.changedTokens().length != toChange || m.changed() != (toChange > 0)
                    || m.ring().size() != peers * 4 || ours.size() != peers * 4 || oursFresh.size() != peers * 4) {
                throw new IllegalStateException("the incoming ring should differ from ours in " + toChange
                        + " entries, but the merge through the " + path + " took " + m.changedTokens().length);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the benchmark's state is not what it measures: " + e.getMessage(), e);
        }
    }

    @Benchmark
    public RingPieceMsg parse() throws Exception {
        return RingPieceMsg.parseFrom(theirs);
    }

    @Benchmark
    public RingPiece decodeGenerated() throws Exception {
        return MessageDecoder.piece(RingPieceMsg.parseFrom(theirs));
    }

    @Benchmark
    public Merge decodeAndMergeGenerated() throws Exception {
        return oursFresh.merge(MessageDecoder.piece(RingPieceMsg.parseFrom(theirs)));
    }

    @Benchmark
    public RingPiece decode() throws Exception {
        return RingPieceReader.read(theirs, 0, theirs.length, known);
    }

    @Benchmark
    public Merge decodeAndMerge() throws Exception {
        return ours.merge(RingPieceReader.read(theirs, 0, theirs.length, known));
    }

    /**
     * As {@link #decodeAndMerge}, but the rings of two peers arrive in turn, each 1% newer than ours at other
     * places: the reader's last whole ring is never the one arriving, so 2% of the entries are not found along
     * it (as when whole rings come from different peers).
     */
    @Benchmark
    public Merge decodeAndMergeInTurn() throws Exception {
        byte[] next = turn ? theirsElsewhere : theirs;
        turn = !turn;
        return ours.merge(RingPieceReader.read(next, 0, next.length, known));
    }

    @Benchmark
    public Merge decodeAndMergeCold() throws Exception {
        return oursFresh.merge(RingPieceReader.read(theirs, 0, theirs.length, Interner.NONE));
    }
}
