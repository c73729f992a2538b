package dev.weft.gossip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Message;
import dev.weft.gossip.Counters;
import dev.weft.gossip.wire.proto.BallotMsg;
import dev.weft.gossip.wire.proto.ClaimMsg;
import dev.weft.gossip.wire.proto.CoreMessage;
import dev.weft.gossip.wire.proto.DigestMsg;
import dev.weft.gossip.wire.proto.EntryMsg;
import dev.weft.gossip.wire.proto.Frame;
import dev.weft.gossip.wire.proto.GossipMsg;
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

    @Test
    void shapesTheCoreRefusesAreRejectedAsBadShape() {
        PeerRef ok = PeerRef.newBuilder().setName("a").setUid(1).build();
        ClaimMsg claim = ClaimMsg.newBuilder().setOwner(0).setFree(1).setEnd(200).build();
        RingPieceMsg.Builder piece = RingPieceMsg.newBuilder().setCluster("c").setUniverseStart(100).setUniverseEnd(300)
                .addPeers(ok);
        CoreMessage[] bad = {
                // tokens not increasing
                gossip(piece.clone().addEntries(entry(150, 1, claim)).addEntries(entry(120, 1, claim))),
                // version 0
                gossip(piece.clone().addEntries(entry(150, 0, claim))),
                // token outside the universe
                gossip(piece.clone().addEntries(entry(50, 1, claim))),
                // a claim that ends before its token
                gossip(piece.clone().addEntries(entry(250, 1, claim))),
                // an end past the universe
                gossip(piece.clone().addEntries(entry(150, 1, claim.toBuilder().setEnd(400).build()))),
                // a free count that is negative as a Java long (uint64 above 2^63)
                gossip(piece.clone().addEntries(entry(150, 1, claim.toBuilder().setFree(-5).build()))),
                // a complete ring that does not start at the universe's start
                gossip(piece.clone().setComplete(true).addEntries(entry(150, 1, claim))),
                // an empty universe
                gossip(RingPieceMsg.newBuilder().setCluster("c").setUniverseStart(5).setUniverseEnd(5)),
                // a peer name with a space, and an empty one, in the tombstones and in the owners' table
                gossip(piece.clone().addPeers(PeerRef.newBuilder().setName("a\tb"))),
                gossip(piece.clone().addTombstones(PeerRef.newBuilder().setName("a b"))),
                gossip(piece.clone().addTombstones(PeerRef.newBuilder().setName(""))),
                // a cluster id longer than 64 characters
                CoreMessage.newBuilder().setDigest(DigestMsg.newBuilder().setCluster("x".repeat(65))).build(),
                // an exact request for more than one address; a range ending before its start
                CoreMessage.newBuilder().setSpaceRequest(SpaceRequestMsg.newBuilder().setStart(5).setEnd(9).setExact(true)).build(),
                CoreMessage.newBuilder().setSpaceRequest(SpaceRequestMsg.newBuilder().setStart(9).setEnd(5)).build(),
                // a promise with an accepted ballot but no value
                CoreMessage.newBuilder().setPromise(PromiseMsg.newBuilder().setBallot(ballot(ok)).setAccepted(ballot(ok))).build(),
                // a promise with a value but no accepted ballot
                CoreMessage.newBuilder().setPromise(PromiseMsg.newBuilder().setBallot(ballot(ok)).addValue(ok)).build(),
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
        PeerRef ok = PeerRef.newBuilder().setName("a").setUid(1).build();
        CoreMessage[] bad = {
                CoreMessage.getDefaultInstance(),
                CoreMessage.newBuilder().setGossip(GossipMsg.getDefaultInstance()).build(),
                CoreMessage.newBuilder().setPrepare(PrepareMsg.getDefaultInstance()).build(),
                CoreMessage.newBuilder().setPrepare(PrepareMsg.newBuilder().setBallot(BallotMsg.newBuilder().setRound(1))).build(),
                gossip(RingPieceMsg.newBuilder().setUniverseStart(0).setUniverseEnd(10)), // no cluster
                gossip(RingPieceMsg.newBuilder().setCluster("c").setUniverseEnd(10).addEntries(EntryMsg.newBuilder().setToken(1).setVersion(1))),
                gossip(RingPieceMsg.newBuilder().setCluster("c").setUniverseEnd(10).addEntries(EntryMsg.newBuilder().setToken(1)
                        .setVersion(1).addClaims(ClaimMsg.newBuilder().setEnd(5)))), // owner not in the (empty) table
                gossip(RingPieceMsg.newBuilder().setCluster("c").setUniverseEnd(10).addPeers(ok).addEntries(EntryMsg.newBuilder()
                        .setToken(1).setVersion(1).addClaims(ClaimMsg.newBuilder().setOwner(-1).setEnd(5)))), // index 2^32-1
        };
        for (CoreMessage m : bad) {
            assertThat(take(Frame.newBuilder().setMessage(m).build().toByteArray())).as(m.toString())
                    .isInstanceOfSatisfying(Intake.Bad.class, b -> assertThat(b.error().reason()).isEqualTo(Reject.MALFORMED));
        }
        assertThat(take(new byte[0])).isInstanceOf(Intake.Bad.class); // an empty frame has no kind
        assertThat(countedRejects()).isEqualTo(rejected);
        assertThat(ok.getName()).isEqualTo("a");
    }

    private static BallotMsg ballot(PeerRef p) {
        return BallotMsg.newBuilder().setRound(1).setProposer(p).build();
    }

    private static EntryMsg entry(long token, long version, ClaimMsg c) {
        return EntryMsg.newBuilder().setToken(token).setVersion(version).addClaims(c).build();
    }

    private static CoreMessage gossip(RingPieceMsg.Builder p) {
        return CoreMessage.newBuilder().setGossip(GossipMsg.newBuilder().setPiece(p)).build();
    }
}
