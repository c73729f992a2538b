package dev.weft.gossip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.ring.Segments;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.gossip.wire.proto.CoreMessage;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CodecRoundTripTest {
    private static final PeerId A = new PeerId("node-a", 0x1234_5678_9abc_def0L);
    private static final PeerId B = new PeerId("node-b", -7L);
    private static final ClusterId C = new ClusterId("c0ffee");

    private static Message roundTrip(Message m) throws Exception {
        byte[] bytes = MessageEncoder.encode(m).toByteArray();
        return MessageDecoder.decode(CoreMessage.parseFrom(bytes));
    }

    private static RingPiece ring() {
        Range u = new Range(167_772_160L, 167_772_160L + 4096);
        return new RingPiece(C, u, List.of(Entry.of(u.start(), 3, A, 100, u.start() + 2048),
                Entry.of(u.start() + 2048, 1, B, 2048, u.end())), new TreeSet<>(List.of(new PeerId("gone", 9))), true);
    }

    @Test
    void everyKindSurvivesTheWire() throws Exception {
        Ballot b = new Ballot(7, A);
        List<Message> all = List.of(
                new Message.Digest(C, -1L),
                new Message.Digest(null, 0),
                new Message.Gossip(ring(), 42, true),
                new Message.SpaceRequest(5, new Range(10, 20), false),
                new Message.SpaceRequest(6, new Range(10, 11), true),
                new Message.SpaceGrant(5, ring()),
                new Message.SpaceDenied(5, "nothing free", false),
                new Message.SpaceDenied(6, "", true),
                new Message.GapQuery(-3, new Range(167_772_160L, 167_772_416L)),
                new Message.GapAnswer(-3, true),
                new Message.GapAnswer(0, false),
                new Message.Prepare(b),
                new Message.Promise(b, null, null),
                new Message.Promise(b, new Ballot(3, B), List.of(A, B)),
                new Message.Accept(b, List.of(B)),
                new Message.Accepted(b),
                new Message.Nack(b, null),
                new Message.Nack(b, new Ballot(9, B)),
                new Message.HandOver(List.of(), List.of()),
                new Message.HandOver(List.of(new Hold(new Attachment("c1", "eth0"), 167_772_161L),
                        new Hold(new Attachment("c1", "eth0", "storage"), 167_772_162L)), List.of(B)),
                new Message.HandOver(List.of(), List.of(), List.of(new Message.Yield(167_772_160L, 7),
                        new Message.Yield(167_772_416L, 12))));
        for (Message m : all) {
            assertThat(roundTrip(m)).as(m.toString()).isEqualTo(m);
        }
        List<Long> tops = new java.util.ArrayList<>();
        for (int i = 0; i < Segments.TOPS; i++) {
            tops.add(-1L - i);
        }
        RingPiece leaf = new RingPiece(C, ring().universe(), ring().entries().subList(1, 2), ring().tombstones(), false);
        for (Message m : List.of(new Message.SegmentDigests(C, 8, List.of(), tops),
                new Message.SegmentDigests(C, -8, List.of(0, 15), java.util.stream.Stream.concat(tops.stream(),
                        tops.stream()).toList()),
                new Message.SegmentEntries(leaf, 3, List.of(0, 128, 255), true),
                new Message.SegmentEntries(new RingPiece(C, ring().universe(), List.of(), ring().tombstones(), false), 3,
                        List.of(), false))) {
            assertThat(roundTrip(m)).as(m.toString()).isEqualTo(m);
        }
    }

    @Test
    void segmentMessagesOfTheWrongShapeAreRefusedAsTheCoreWould() {
        CoreMessage fewDigests = CoreMessage.newBuilder().setSegmentDigests(
                dev.weft.gossip.wire.proto.SegmentDigestsMsg.newBuilder().setCluster("c").addDigests(1)).build();
        CoreMessage leafPastTheEnd = CoreMessage.newBuilder().setSegmentEntries(
                dev.weft.gossip.wire.proto.SegmentEntriesMsg.newBuilder().setPiece(MessageEncoder.piece(ring()).toByteString())
                        .addLeaves(Segments.LEAVES)).build();
        CoreMessage noCluster = CoreMessage.newBuilder().setSegmentDigests(
                dev.weft.gossip.wire.proto.SegmentDigestsMsg.newBuilder().addDigests(1)).build();
        for (CoreMessage bad : List.of(fewDigests, leafPastTheEnd, noCluster)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessageDecoder.decode(bad))
                    .isInstanceOf(BadFrameException.class);
        }
    }

    @Test
    void aHoldKeepsItsNetworkOneContainerOnTwoNetworksStaysTwoHolders() throws Exception {
        Hold onDefault = new Hold(new Attachment("c1", "eth0"), 1);
        Hold onStorage = new Hold(new Attachment("c1", "eth0", "storage"), 2);
        Message.HandOver back = (Message.HandOver) roundTrip(new Message.HandOver(List.of(onDefault, onStorage), List.of()));
        assertThat(back.holds()).extracting(h -> h.attachment().network()).containsExactly("weft", "storage");
        assertThat(back.holds().get(0).attachment()).isNotEqualTo(back.holds().get(1).attachment());
        assertThat(MessageEncoder.hold(onDefault).getNetwork()).isEqualTo("weft"); // sent, not left to a default
    }

    @Test
    void aConflictedEntryKeepsAllItsClaims() throws Exception {
        RingPiece p = ring();
        Entry a = p.entries().get(0);
        Entry rival = Entry.join(a, Entry.of(a.token(), a.version(), B, 7, a.end()));
        RingPiece conflicted = new RingPiece(C, p.universe(), List.of(rival, p.entries().get(1)), p.tombstones(), true);
        Message.Gossip back = (Message.Gossip) roundTrip(new Message.Gossip(conflicted, 1, false));
        assertThat(back.piece().entries().get(0).conflicted()).isTrue();
        assertThat(back.piece().entries().get(0).claims()).isEqualTo(rival.claims());
    }

    @Test
    void seededRandomMessagesEncodeAndDecodeToEqualValues() throws Exception {
        for (long seed = 1; seed <= 3000; seed++) {
            Message m = new RandomMessages(seed).any();
            assertThat(roundTrip(m)).as("seed %d: %s", seed, m).isEqualTo(m);
        }
    }

    @Test
    void aWholeRingOfAThousandPeersNamesEachOwnerOnce() throws Exception {
        Range u = new Range(0, 1L << 20);
        List<Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            Range r = u.share(i, 4000);
            entries.add(Entry.of(r.start(), 1 + i % 7, new PeerId("ip-10-0-" + i / 4 % 250 + "-" + i / 1000 + ".ec2.internal",
                    i / 4), r.size() / 2, r.end()));
        }
        RingPiece ring = new RingPiece(C, u, entries, new TreeSet<>(), true);
        byte[] bytes = MessageEncoder.encode(new Message.Gossip(ring, 1, false)).toByteArray();
        System.out.printf("[wire] a whole ring of 1000 peers / 4000 entries: %d bytes%n", bytes.length);
        // ~40 bytes per install in the table, ~7 per entry in columns (ends implied by the next token); naming
        // the owner in every entry would add ~35 bytes to each.
        assertThat(bytes.length).isLessThan(80_000);
        assertThat(roundTrip(new Message.Gossip(ring, 1, false))).isEqualTo(new Message.Gossip(ring, 1, false));
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        Message m = new Message.Digest(C, 99);
        byte[] known = MessageEncoder.encode(m).toByteArray();
        // Field 1 (digest) is a length-delimited DigestMsg; add an unknown field 15 (varint) inside it and at
        // the top level, as a newer peer might.
        CoreMessage withExtra = CoreMessage.parseFrom(known).toBuilder()
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                        .addField(99, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(5).build()).build())
                .build();
        assertThat(MessageDecoder.decode(CoreMessage.parseFrom(withExtra.toByteArray()))).isEqualTo(m);
    }
}
