package dev.weft.gossip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.RingPiece;
import dev.weft.gossip.wire.proto.PeerRef;
import dev.weft.gossip.wire.proto.RingPieceMsg;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The hand-written {@link RingPieceReader} against protobuf's generated parser ({@link MessageDecoder#piece}):
 * the same bytes, good, corrupted or written in ways weft never writes them (unpacked columns, unknown
 * fields, repeated singular fields), must give the same piece or be refused for the same reason.
 */
class RingPieceReaderEquivalenceTest {

    /** What a reader made of some bytes: the piece, or the reason it was refused. */
    private static Object generated(byte[] bytes) {
        try {
            return MessageDecoder.piece(RingPieceMsg.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            return Reject.MALFORMED;
        } catch (BadFrameException e) {
            return e.reason();
        } catch (IllegalArgumentException e) {
            return Reject.BAD_SHAPE; // what MessageDecoder.decode makes of the core's refusals
        }
    }

    private static Object handWritten(byte[] bytes, Interner interner) {
        try {
            return RingPieceReader.read(bytes, 0, bytes.length, interner);
        } catch (BadFrameException e) {
            return e.reason();
        } catch (IllegalArgumentException e) {
            return Reject.BAD_SHAPE;
        }
    }

    private static void same(byte[] bytes, Interner interner, String what) {
        Object expected = generated(bytes);
        assertThat(handWritten(bytes, interner)).as(what).isEqualTo(expected);
        // Also from inside a larger array, as the bytes of a frame's field.
        byte[] padded = new byte[bytes.length + 7];
        Arrays.fill(padded, (byte) 0xff);
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        Object inPlace;
        try {
            inPlace = RingPieceReader.read(padded, 3, bytes.length, interner);
        } catch (BadFrameException e) {
            inPlace = e.reason();
        } catch (IllegalArgumentException e) {
            inPlace = Reject.BAD_SHAPE;
        }
        assertThat(inPlace).as(what + " (at an offset)").isEqualTo(expected);
    }

    /** A random piece whose owners come from a small pool, so that installs repeat across pieces. */
    private static RingPiece piece(SplittableRandom r, List<PeerId> pool) {
        RingPiece base = new RandomMessages(r.nextLong()).piece();
        List<Entry> entries = new ArrayList<>();
        for (Entry e : base.entries()) {
            if (e.conflicted() || r.nextInt(4) == 0) {
                entries.add(e); // rival claims, takeovers and fresh installs as RandomMessages makes them
            } else {
                entries.add(Entry.of(e.token(), e.version(), pool.get(r.nextInt(pool.size())), e.free(), e.end()));
            }
        }
        TreeSet<PeerId> tombstones = new TreeSet<>(base.tombstones());
        if (r.nextBoolean()) {
            tombstones.add(pool.get(r.nextInt(pool.size())));
        }
        return new RingPiece(base.cluster(), base.universe(), entries, tombstones, base.complete());
    }

    private static List<PeerId> pool(SplittableRandom r) {
        List<PeerId> pool = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pool.add(new PeerId("ip-10-0-0-" + i + ".ec2.internal", r.nextLong()));
        }
        return pool;
    }

    @Test
    void randomPiecesReadTheSameAndRoundTrip() {
        SplittableRandom r = new SplittableRandom(3);
        List<PeerId> pool = pool(r);
        Interner warm = new Interner(64, 64);
        for (int i = 0; i < 2000; i++) {
            RingPiece p = piece(r, pool);
            byte[] bytes = MessageEncoder.piece(p).toByteArray();
            assertThat(handWritten(bytes, warm)).as("seed piece %d", i).isEqualTo(p);
            same(bytes, warm, "piece " + i);
            same(bytes, Interner.NONE, "piece " + i + " without interning");
        }
    }

    @Test
    void corruptedPiecesAreRefusedForTheSameReason() {
        SplittableRandom r = new SplittableRandom(5);
        List<PeerId> pool = pool(r);
        Interner warm = new Interner(64, 64);
        int refused = 0;
        for (int i = 0; i < 1500; i++) {
            byte[] good = MessageEncoder.piece(piece(r, pool)).toByteArray();
            List<byte[]> bad = new ArrayList<>();
            bad.add(Arrays.copyOf(good, r.nextInt(good.length)));
            byte[] flipped = good.clone();
            flipped[r.nextInt(flipped.length)] ^= (byte) (1 << r.nextInt(8));
            bad.add(flipped);
            byte[] stomped = good.clone();
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                stomped[r.nextInt(stomped.length)] = (byte) r.nextInt(256);
            }
            bad.add(stomped);
            byte[] random = new byte[r.nextInt(64)];
            r.nextBytes(random);
            bad.add(random);
            for (byte[] b : bad) {
                same(b, warm, "corrupted piece " + i);
                refused += generated(b) instanceof Reject ? 1 : 0;
            }
        }
        assertThat(refused).isGreaterThan(3000);
    }

    /** One field as raw wire bytes: a tag, then what follows it. */
    private static byte[] wire(Writer w) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            w.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Writer {
        void write(CodedOutputStream out) throws java.io.IOException;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static final byte[] TWO_ENTRIES = RingPieceMsg.newBuilder().setCluster("c").setUniverseStart(100)
            .setUniverseEnd(300).addPeers(PeerRef.newBuilder().setName("a").setUid(1)).addTokenGaps(0).addTokenGaps(100)
            .addVersions(1).addVersions(2).addOwners(0).addOwners(0).addFrees(5).addFrees(5).addEnds(0).addEnds(300)
            .build().toByteArray();

    @Test
    void whatWeftNeverWritesIsReadAsProtobufReadsIt() {
        Interner warm = new Interner(16, 16);
        List<byte[]> cases = List.of(
                TWO_ENTRIES,
                // Unpacked columns, and a column split between packed and unpacked runs.
                concat(wire(o -> {
                    o.writeString(1, "c");
                    o.writeUInt64(2, 100);
                    o.writeUInt64(3, 300);
                    o.writeUInt64(7, 0);
                    o.writeUInt64(7, 100);
                    o.writeUInt64(8, 1);
                    o.writeUInt64(8, 2);
                    o.writeUInt32(10, 0);
                    o.writeUInt32(10, 0);
                    o.writeUInt64(11, 5);
                    o.writeUInt64(11, 5);
                    o.writeUInt64(12, 0);
                    o.writeUInt64(12, 300);
                    o.writeBool(13, true);
                    o.writeBool(13, false);
                    o.writeMessage(5, PeerRef.newBuilder().setName("a").setUid(1).build());
                })),
                // Unknown fields of every wire type, at the top and inside a peer reference.
                concat(TWO_ENTRIES, wire(o -> {
                    o.writeUInt64(99, 7);
                    o.writeFixed32(98, 7);
                    o.writeFixed64(97, 7);
                    o.writeString(96, "later");
                    o.writeGroup(95, PeerRef.newBuilder().setName("x").build());
                    o.writeBytes(6, PeerRef.newBuilder().setName("gone").setUid(9).build().toByteString()
                            .concat(ByteString.copyFrom(wire(p -> {
                                p.writeUInt64(50, 1);
                                p.writeString(51, "x");
                            }))));
                })),
                // A known field number with the wrong wire type is an unknown field.
                concat(TWO_ENTRIES, wire(o -> {
                    o.writeUInt64(1, 5);
                    o.writeFixed64(4, 1);
                    o.writeFixed32(7, 3);
                })),
                // Singular fields sent twice: the last one counts.
                concat(TWO_ENTRIES, wire(o -> {
                    o.writeString(1, "d");
                    o.writeBool(4, true);
                    o.writeBool(4, false);
                })),
                // A peer reference whose uid comes before its name, and one named twice.
                concat(TWO_ENTRIES, wire(o -> o.writeBytes(6, ByteString.copyFrom(wire(p -> {
                    p.writeFixed64(2, 9);
                    p.writeString(1, "b");
                    p.writeString(1, "gone");
                }))))),
                // Names: not UTF-8, valid UTF-8 the core refuses, empty, and one equal to a kept name but for case.
                concat(TWO_ENTRIES, wire(o -> o.writeBytes(6, ByteString.copyFrom(wire(p -> {
                    p.writeByteArray(1, new byte[] {'a', (byte) 0xc3});
                    p.writeFixed64(2, 1);
                }))))),
                concat(TWO_ENTRIES, wire(o -> o.writeMessage(6, PeerRef.newBuilder().setName("z\u00e9").setUid(1).build()))),
                concat(TWO_ENTRIES, wire(o -> o.writeMessage(6, PeerRef.newBuilder().setUid(1).build()))),
                concat(TWO_ENTRIES, wire(o -> o.writeMessage(6, PeerRef.newBuilder().setName("A").setUid(1).build()))),
                // A cluster that is not UTF-8; a stray end-group tag; a negative and an overlong length.
                concat(TWO_ENTRIES, wire(o -> o.writeByteArray(1, new byte[] {(byte) 0xff}))),
                concat(TWO_ENTRIES, wire(o -> o.writeTag(95, 4))),
                concat(TWO_ENTRIES, wire(o -> {
                    o.writeTag(5, 2);
                    o.writeUInt32NoTag(3);
                    o.writeTag(2, 4);
                    o.writeUInt32NoTag(0);
                })),
                concat(TWO_ENTRIES, wire(o -> {
                    o.writeTag(7, 2);
                    o.writeInt32NoTag(-1);
                })),
                concat(TWO_ENTRIES, wire(o -> {
                    o.writeTag(5, 2);
                    o.writeUInt32NoTag(1000);
                })),
                concat(TWO_ENTRIES, wire(o -> {
                    o.writeTag(6, 2);
                    o.writeUInt32NoTag(4);
                    o.writeTag(1, 2);
                    o.writeUInt32NoTag(-1 >>> 1);
                })),
                // A uint32 column value past 32 bits keeps its low 32 bits, as protobuf's readUInt32 does.
                concat(RingPieceMsg.newBuilder().setCluster("c").setUniverseStart(100).setUniverseEnd(300)
                        .addPeers(PeerRef.newBuilder().setName("a").setUid(1)).addTokenGaps(0).addVersions(1)
                        .addFrees(5).addEnds(300).build().toByteArray(), wire(o -> o.writeUInt64(10, 1L << 32))));
        for (int i = 0; i < cases.size(); i++) {
            byte[] b = cases.get(i);
            same(b, warm, "case " + i);
            same(b, Interner.NONE, "case " + i + " without interning");
        }
        // The cases above do say something: some are read, some refused, for either reason.
        List<Object> outcomes = cases.stream().map(RingPieceReaderEquivalenceTest::generated).toList();
        assertThat(outcomes).hasAtLeastOneElementOfType(RingPiece.class).contains(Reject.MALFORMED, Reject.BAD_SHAPE);
    }

    /**
     * The packed columns are read eight bytes at a time, and byte by byte for a number over eight bytes or
     * near the frame's end: numbers of every length from one to ten bytes (and an eleven-byte one, refused),
     * at every position against the end of the bytes, read as protobuf reads them.
     */
    @Test
    void packedNumbersOfEveryLengthAtEveryPlaceReadAsProtobufReadsThem() {
        List<Long> all = new ArrayList<>();
        for (int length = 1; length <= 10; length++) {
            all.add(length == 1 ? 1 : 1L << 7 * (length - 1)); // the smallest number of that many bytes
            all.add(length == 10 ? -1L : (1L << 7 * length) - 1); // the largest
        }
        // Ten-byte numbers are past 2^63, versions the core refuses: the readable pieces have up to nine.
        List<Long> readable = all.stream().filter(v -> v > 0).toList();
        Interner warm = new Interner(16, 16);
        int read = 0;
        for (List<Long> values : List.of(readable, all)) {
            int n = values.size();
            RingPieceMsg.Builder rest = RingPieceMsg.newBuilder().setCluster("c").setUniverseStart(0)
                    .setUniverseEnd(1000).addPeers(PeerRef.newBuilder().setName("a").setUid(1));
            for (int k = 0; k < n; k++) {
                rest.addTokenGaps(k == 0 ? 0 : 1).addOwners(0).addFrees(1).addEnds(k == n - 1 ? 1000 : 0);
            }
            for (int shift = 0; shift < n; shift++) {
                int s = shift;
                byte[] versions = wire(o -> {
                    ByteArrayOutputStream column = new ByteArrayOutputStream();
                    CodedOutputStream c = CodedOutputStream.newInstance(column);
                    for (int k = 0; k < n; k++) {
                        c.writeUInt64NoTag(values.get((k + s) % n));
                    }
                    c.flush();
                    o.writeByteArray(8, column.toByteArray());
                });
                byte[] last = concat(rest.build().toByteArray(), versions);
                byte[] first = concat(versions, rest.build().toByteArray());
                for (byte[] b : List.of(last, first)) {
                    same(b, warm, "versions shifted by " + shift);
                    same(b, Interner.NONE, "versions shifted by " + shift + " without interning");
                    read += generated(b) instanceof RingPiece ? 1 : 0;
                }
            }
            // A last number one byte longer than ten: refused by both.
            byte[] overlong = concat(rest.build().toByteArray(), wire(o -> o.writeByteArray(8,
                    new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                            (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01})));
            same(overlong, warm, "an eleven-byte number");
            assertThat(generated(overlong)).isEqualTo(Reject.MALFORMED);
        }
        assertThat(read).as("every readable piece, in both orders").isEqualTo(2 * 18);
    }

    @Test
    void deeplyNestedUnknownGroupsAreRefusedNotOverflowed() {
        for (int depth : new int[] {50, 99, 100, 101, 200, 20_000}) {
            ByteArrayOutputStream nested = new ByteArrayOutputStream();
            nested.writeBytes(TWO_ENTRIES);
            for (int i = 0; i < depth; i++) {
                nested.writeBytes(wire(o -> o.writeTag(95, 3)));
            }
            for (int i = 0; i < depth; i++) {
                nested.writeBytes(wire(o -> o.writeTag(95, 4)));
            }
            same(nested.toByteArray(), new Interner(16, 16), "groups nested " + depth + " deep");
        }
    }

    @Test
    void aKnownInstallAndEntryComeBackAsTheSameInstances() throws Exception {
        Interner interner = new Interner(64, 64);
        RingPiece first = RingPieceReader.read(TWO_ENTRIES, 0, TWO_ENTRIES.length, interner);
        RingPiece second = RingPieceReader.read(TWO_ENTRIES, 0, TWO_ENTRIES.length, interner);
        assertThat(second).isEqualTo(first);
        assertThat(second.entries().get(0).owner()).isSameAs(first.entries().get(0).owner())
                .isSameAs(first.entries().get(1).owner());
        assertThat(second.entries().get(0)).isSameAs(first.entries().get(0));
        assertThat(second.entries().get(1)).isSameAs(first.entries().get(1));
        // Without a table, each read makes its own.
        RingPiece fresh = RingPieceReader.read(TWO_ENTRIES, 0, TWO_ENTRIES.length, Interner.NONE);
        assertThat(fresh).isEqualTo(first);
        assertThat(fresh.entries().get(0).owner()).isNotSameAs(first.entries().get(0).owner());
        assertThat(fresh.entries().get(0)).isNotSameAs(first.entries().get(0));
    }

    @Test
    void anEntryDifferingInAnyFieldIsBuiltAfresh() {
        Interner interner = new Interner(16, 16);
        PeerId a = interner.peer(new PeerId("a", 1));
        Entry kept = interner.entry(100, 3, a, 5, 200);
        assertThat(interner.entry(100, 3, a, 5, 200)).isSameAs(kept);
        List<Entry> others = List.of(interner.entry(100, 4, a, 5, 200), interner.entry(100, 3, a, 6, 200),
                interner.entry(100, 3, a, 5, 201), interner.entry(100, 3, new PeerId("a", 1), 5, 200),
                interner.entry(100, 3, interner.peer(new PeerId("b", 1)), 5, 200), interner.entry(101, 3, a, 5, 200));
        for (Entry e : others) {
            assertThat(e).isNotSameAs(kept);
        }
        assertThat(others.get(3)).isEqualTo(kept); // an equal owner that is another instance: a miss, still equal
        assertThat(List.of(others.get(0).version(), others.get(1).free(), others.get(2).end(), others.get(5).token()))
                .containsExactly(4L, 6L, 201L, 101L);
        // What the core refuses is refused with or without a table.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> interner.entry(300, 1, a, 5, 200))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> interner.entry(100, 3, a, -1, 200))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTablesAreBoundedAndANewcomerTakesItsSlot() {
        Interner interner = new Interner(4, 4); // 4 slots of each
        List<PeerId> many = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(interner.peer(new PeerId("n" + i, i)));
            entries.add(interner.entry(i, 1, many.get(i), 0, i + 1));
        }
        int kept = 0;
        int keptEntries = 0;
        for (int i = 0; i < 1000; i++) {
            PeerId p = many.get(i);
            PeerId again = interner.peer(new PeerId(p.name(), p.uid()));
            assertThat(again).isEqualTo(p);
            kept += again == p ? 1 : 0;
            Entry e = interner.entry(i, 1, again, 0, i + 1);
            assertThat(e).isEqualTo(entries.get(i));
            keptEntries += e == entries.get(i) ? 1 : 0;
        }
        assertThat(kept).isLessThanOrEqualTo(4);
        assertThat(keptEntries).isLessThanOrEqualTo(4);
        // Same uid, another name: a different install, never confused with the kept one.
        PeerId a = interner.peer(new PeerId("same-uid-a", 77));
        byte[] b = "same-uid-b".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(interner.findPeer(77, b, 0, b.length)).isNull();
        byte[] n = a.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(interner.findPeer(77, n, 0, n.length)).isSameAs(a);
        assertThat(interner.findPeer(78, n, 0, n.length)).isNull();
        byte[] shorter = "same-uid-".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(interner.findPeer(77, shorter, 0, shorter.length)).isNull();
    }

    /**
     * A 1000-peer ring's installs and 4000 entries, at random uids and tokens, all come back as the kept
     * instances the second time (a direct-mapped table of the same size kept only about 88% of the entries:
     * two that share a slot evict each other at every ring).
     */
    @Test
    void aWholeRingsInstallsAndEntriesAreAllKeptInTheTransportsTables() {
        Interner interner = new Interner(Intake.KEPT_INSTALLS, Intake.KEPT_ENTRIES);
        SplittableRandom r = new SplittableRandom(23);
        List<PeerId> installs = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            installs.add(interner.peer(new PeerId("ip-10-0-" + i + ".ec2.internal", r.nextLong())));
        }
        for (int i = 0; i < 4000; i++) {
            long token = r.nextLong(1L << 32);
            entries.add(interner.entry(token, 1 + r.nextInt(20), installs.get(i / 4), r.nextInt(256), token + 256));
        }
        int keptInstalls = 0;
        for (PeerId p : installs) {
            byte[] name = p.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            keptInstalls += interner.findPeer(p.uid(), name, 0, name.length) == p ? 1 : 0;
        }
        int keptEntries = 0;
        for (Entry e : entries) {
            keptEntries += interner.entry(e.token(), e.version(), e.owner(), e.free(), e.end()) == e ? 1 : 0;
        }
        assertThat(keptInstalls).isEqualTo(1000);
        assertThat(keptEntries).isGreaterThanOrEqualTo(3990);
    }

    @Test
    void framesThroughIntakeShareInstances() {
        Intake intake = new Intake(1 << 20, new dev.weft.gossip.Counters());
        RingPiece p = new RingPiece(new ClusterId("c"), new Range(100, 300),
                List.of(Entry.of(100, 1, new PeerId("a", 1), 5, 200), Entry.of(200, 2, new PeerId("a", 1), 5, 300)),
                new TreeSet<>(), true);
        byte[] frame = dev.weft.gossip.wire.proto.Frame.newBuilder()
                .setMessage(MessageEncoder.encode(new dev.weft.core.node.Message.Gossip(p, 1, false))).build().toByteArray();
        PeerId[] owners = new PeerId[2];
        for (int i = 0; i < 2; i++) {
            Intake.Item item = intake.take(frame);
            assertThat(item).isInstanceOf(Intake.Core.class);
            RingPiece got = ((dev.weft.core.node.Message.Gossip) ((Intake.Core) item).message()).piece();
            assertThat(got).isEqualTo(p);
            owners[i] = got.entries().get(1).owner();
        }
        assertThat(owners[1]).isSameAs(owners[0]);
    }
}
