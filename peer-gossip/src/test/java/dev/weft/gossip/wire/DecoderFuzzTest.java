package dev.weft.gossip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Message;
import dev.weft.gossip.Counters;
import dev.weft.gossip.wire.proto.BallotMsg;
import dev.weft.gossip.wire.proto.CoreMessage;
import dev.weft.gossip.wire.proto.DigestMsg;
import dev.weft.gossip.wire.proto.Frame;
import dev.weft.gossip.wire.proto.GapQueryMsg;
import dev.weft.gossip.wire.proto.GossipMsg;
import dev.weft.gossip.wire.proto.HandOverMsg;
import dev.weft.gossip.wire.proto.HoldMsg;
import dev.weft.gossip.wire.proto.PeerRef;
import dev.weft.gossip.wire.proto.PrepareMsg;
import dev.weft.gossip.wire.proto.PromiseMsg;
import dev.weft.gossip.wire.proto.RingPieceMsg;
import dev.weft.gossip.wire.proto.SpaceRequestMsg;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes into the intake: random, truncated, bit-flipped, oversized, and well-formed protobuf of a
 * shape the core refuses. Nothing may throw; every frame that does not come out as a message the core could
 * have built is rejected, and every rejection is counted.
 */
class DecoderFuzzTest {
    private static final int MAX = 64 * 1024;

    private final Counters counters = new Counters();
    private final Intake intake = new Intake(MAX, counters);
    private int rejected;

    private Intake.Item take(byte[] bytes) {
        Intake.Item item = intake.take(bytes);
        if (item instanceof Intake.Bad) {
            rejected++;
        }
        return item;
    }

    private long countedRejects() {
        return counters.snapshot().entrySet().stream().filter(e -> e.getKey().startsWith("rejects."))
                .mapToLong(java.util.Map.Entry::getValue).sum();
    }

    private static byte[] frame(Message m) {
        return Frame.newBuilder().setMessage(MessageEncoder.encode(m)).build().toByteArray();
    }

    @Test
    void randomBytesNeverCrashAndEveryRejectIsCounted() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 5000; i++) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            Intake.Item item = take(b);
            assertThat(item).isNotNull();
        }
        assertThat(rejected).isGreaterThan(4000);
        assertThat(countedRejects()).isEqualTo(rejected);
    }

    @Test
    void truncatedAndFlippedFramesAreRejectedOrStillValid() {
        SplittableRandom r = new SplittableRandom(11);
        int cases = 0;
        for (long seed = 1; seed <= 600; seed++) {
            byte[] good = frame(new RandomMessages(seed).any());
            for (int k = 0; k < 5; k++) {
                byte[] cut = Arrays.copyOf(good, r.nextInt(good.length));
                check(take(cut));
                byte[] flipped = good.clone();
                flipped[r.nextInt(flipped.length)] ^= (byte) (1 << r.nextInt(8));
                check(take(flipped));
                cases += 2;
            }
        }
        assertThat(cases).isEqualTo(6000);
        assertThat(rejected).isGreaterThan(1000);
        assertThat(countedRejects()).isEqualTo(rejected);
    }

    /** A frame that was not rejected decoded into a message the core built: its constructors ran. */
    private static void check(Intake.Item item) {
        if (item instanceof Intake.Core c) {
            assertThat(MessageEncoder.encode(c.message())).isNotNull();
        }
    }

    @Test
    void oversizedFramesAreRejectedBeforeParsing() {
        byte[] big = new byte[MAX + 1];
        assertThat(take(big)).isInstanceOfSatisfying(Intake.Bad.class,
                b -> assertThat(b.error().reason()).isEqualTo(Reject.OVERSIZED));
        assertThat(counters.get("rejects.oversized")).isEqualTo(1);
    }

    /** A piece over [100, 300) owned by "a", with one entry per (gap, version, free, end). */
    private static RingPieceMsg.Builder piece(long[][] entries) {
        RingPieceMsg.Builder b = RingPieceMsg.newBuilder().setCluster("c").setUniverseStart(100).setUniverseEnd(300)
                .addPeers(PeerRef.newBuilder().setName("a").setUid(1));
        for (long[] e : entries) {
            b.addTokenGaps(e[0]).addVersions(e[1]).addOwners(0).addFrees(e[2]).addEnds(e[3]);
        }
        return b;
    }

    @Test
    void aWellFormedPieceDecodes() {
        assertThat(take(Frame.newBuilder().setMessage(gossip(piece(new long[][] {{0, 1, 5, 0}, {100, 2, 5, 300}}))).build()
                .toByteArray())).isInstanceOf(Intake.Core.class);
    }

    @Test
    void shapesTheCoreRefusesAreRejectedAsBadShape() {
        CoreMessage[] bad = {
                gossip(piece(new long[][] {{50, 1, 1, 0}, {0, 1, 1, 300}})), // two entries at one token
                gossip(piece(new long[][] {{50, 1, 1, 0}, {-10, 1, 1, 300}})), // a gap that wraps past 2^64
                gossip(piece(new long[][] {{50, 0, 1, 300}})), // version 0
                gossip(piece(new long[][] {{250, 1, 1, 400}})), // a token outside the universe
                gossip(piece(new long[][] {{50, 1, 1, 120}})), // a claim that ends before its token
                gossip(piece(new long[][] {{50, 1, 1, 400}})), // an end past the universe
                gossip(piece(new long[][] {{50, 1, -5, 300}})), // a free count above 2^63: negative as a long
                gossip(piece(new long[][] {{50, 1, 1, 0}})), // the last entry with its end left out
                gossip(piece(new long[][] {{50, 1, 1, 300}}).setComplete(true)), // complete, not from the start
                gossip(RingPieceMsg.newBuilder().setCluster("c").setUniverseStart(5).setUniverseEnd(5)), // empty universe
                gossip(piece(new long[][] {}).addTombstones(PeerRef.newBuilder().setName("a b"))), // a name with a space
                gossip(piece(new long[][] {}).addTombstones(PeerRef.newBuilder().setName(""))), // no name
                gossip(piece(new long[][] {}).addPeers(PeerRef.newBuilder().setName("a\tb"))), // a tab, in the table
                CoreMessage.newBuilder().setDigest(DigestMsg.newBuilder().setCluster("x".repeat(65))).build(),
                CoreMessage.newBuilder().setSpaceRequest(SpaceRequestMsg.newBuilder().setStart(5).setEnd(9).setExact(true)).build(),
                CoreMessage.newBuilder().setSpaceRequest(SpaceRequestMsg.newBuilder().setStart(9).setEnd(5)).build(),
                CoreMessage.newBuilder().setGapQuery(GapQueryMsg.newBuilder().setStart(9).setEnd(5)).build(),
                CoreMessage.newBuilder().setGapQuery(GapQueryMsg.newBuilder().setStart(9).setEnd(9)).build(), // empty
                CoreMessage.newBuilder().setGapQuery(GapQueryMsg.newBuilder().setStart(-1).setEnd(-1)).build(), // 2^64-1
                CoreMessage.newBuilder().setPromise(PromiseMsg.newBuilder().setBallot(ballot(A)).setAccepted(ballot(A))).build(),
                CoreMessage.newBuilder().setPromise(PromiseMsg.newBuilder().setBallot(ballot(A)).addValue(A)).build(),
                handOver(hold().clearNetwork()), // a hold with no network: never guessed as the default
                handOver(hold().setNetwork("a/b")), // a network name CNI would refuse (and a '/' in a store key)
                handOver(hold().clearContainerId()),
                handOver(hold().clearIfname()),
                handOver(hold().setAddress(1L << 32)), // not an IPv4 address
                handOver(hold().setAddress(-1)), // 2^64-1
                CoreMessage.newBuilder().setHandOver(HandOverMsg.newBuilder().addAwaited(PeerRef.newBuilder().setName("")))
                        .build(), // an awaited install with no name
        };
        for (CoreMessage m : bad) {
            Intake.Item item = take(Frame.newBuilder().setMessage(m).build().toByteArray());
            assertThat(item).as(m.toString()).isInstanceOfSatisfying(Intake.Bad.class,
                    b -> assertThat(b.error().reason()).isEqualTo(Reject.BAD_SHAPE));
        }
        assertThat(counters.get("rejects.bad_shape")).isEqualTo(bad.length);
    }

    @Test
    void missingPartsAreRejectedAsMalformed() {
        CoreMessage[] bad = {
                CoreMessage.getDefaultInstance(),
                CoreMessage.newBuilder().setGossip(GossipMsg.getDefaultInstance()).build(),
                CoreMessage.newBuilder().setPrepare(PrepareMsg.getDefaultInstance()).build(),
                CoreMessage.newBuilder().setPrepare(PrepareMsg.newBuilder().setBallot(BallotMsg.newBuilder().setRound(1))).build(),
                gossip(piece(new long[][] {{50, 1, 1, 300}}).clearCluster()),
                gossip(piece(new long[][] {{50, 1, 1, 300}}).addVersions(3)), // more versions than tokens
                gossip(piece(new long[][] {{50, 1, 1, 300}}).addOwners(0)), // more claims than entries, no counts
                gossip(piece(new long[][] {{50, 1, 1, 300}}).addFrees(3)), // claim columns of different lengths
                gossip(piece(new long[][] {{50, 1, 1, 300}}).setOwners(0, 1)), // an owner not in the table
                gossip(piece(new long[][] {{50, 1, 1, 300}}).setOwners(0, -1)), // owner #2^32-1
                gossip(piece(new long[][] {{50, 1, 1, 300}}).addClaimCounts(0)), // an entry with no claim
                gossip(piece(new long[][] {{50, 1, 1, 300}}).addClaimCounts(2)), // more claims than there are
                gossip(piece(new long[][] {{50, 1, 1, 0}, {10, 1, 1, 300}}).addClaimCounts(1).addClaimCounts(1).addClaimCounts(1)),
        };
        for (CoreMessage m : bad) {
            assertThat(take(Frame.newBuilder().setMessage(m).build().toByteArray())).as(m.toString())
                    .isInstanceOfSatisfying(Intake.Bad.class, b -> assertThat(b.error().reason()).isEqualTo(Reject.MALFORMED));
        }
        assertThat(take(new byte[0])).isInstanceOf(Intake.Bad.class); // an empty frame has no kind
        assertThat(countedRejects()).isEqualTo(rejected);
    }

    private static final PeerRef A = PeerRef.newBuilder().setName("a").setUid(1).build();

    private static BallotMsg ballot(PeerRef p) {
        return BallotMsg.newBuilder().setRound(1).setProposer(p).build();
    }

    private static HoldMsg.Builder hold() {
        return HoldMsg.newBuilder().setContainerId("c1").setIfname("eth0").setNetwork("weft").setAddress(167_772_161L);
    }

    private static CoreMessage handOver(HoldMsg.Builder h) {
        return CoreMessage.newBuilder().setHandOver(HandOverMsg.newBuilder().addHolds(hold()).addHolds(h)).build();
    }

    @Test
    void aWellFormedHandOverDecodes() {
        assertThat(take(Frame.newBuilder().setMessage(handOver(hold().setNetwork("storage"))).build().toByteArray()))
                .isInstanceOfSatisfying(Intake.Core.class, c -> assertThat(((Message.HandOver) c.message()).holds())
                        .extracting(h -> h.attachment().network()).containsExactly("weft", "storage"));
    }

    private static CoreMessage gossip(RingPieceMsg.Builder p) {
        return CoreMessage.newBuilder().setGossip(GossipMsg.newBuilder().setPiece(p.build().toByteString())).build();
    }
}
