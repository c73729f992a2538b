package dev.weft.gossip.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.RingPiece;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code RingPieceMsg}'s bytes straight into its columns, without protobuf's generated builder: a whole
 * 1000-peer ring is 1000 {@code PeerRef} sub-messages and a dozen packed columns, and the generated path
 * builds a message object and a string per install and grows its lists as it goes. This reads the same wire
 * format with protobuf's own {@link CodedInputStream}, so varints, limits, packed and unpacked repeated
 * fields, unknown fields (skipped) and every malformation are handled exactly as the generated parser
 * handles them; an install the {@link Interner} already keeps is recognised in the bytes and reused.
 * {@code RingPieceReaderEquivalenceTest} feeds the same bytes, good and corrupted, to both readers.
 */
public final class RingPieceReader {
    // Field tags of RingPieceMsg and PeerRef (field number << 3 | wire type), as weft_wire.proto numbers them.
    private static final int CLUSTER = 1 << 3 | 2;
    private static final int UNIVERSE_START = 2 << 3;
    private static final int UNIVERSE_END = 3 << 3;
    private static final int COMPLETE = 4 << 3;
    private static final int PEERS = 5 << 3 | 2;
    private static final int TOMBSTONES = 6 << 3 | 2;
    private static final int TOKEN_GAPS = 7;
    private static final int VERSIONS = 8;
    private static final int CLAIM_COUNTS = 9;
    private static final int OWNERS = 10;
    private static final int FREES = 11;
    private static final int ENDS = 12;
    private static final int TAKEOVERS = 13;
    private static final int PEER_NAME = 1 << 3 | 2;
    private static final int PEER_UID = 2 << 3 | 1;
    private static final int VARINT = 0;
    private static final int DELIMITED = 2;

    private final byte[] bytes;
    /** Where the piece begins and ends in {@link #bytes}. */
    private final int offset;
    private final int end;
    private final CodedInputStream in;
    private final Interner interner;
    private final RingColumns out = new RingColumns();

    private RingPieceReader(byte[] bytes, int offset, int length, Interner interner) {
        this.bytes = bytes;
        this.offset = offset;
        this.end = offset + length;
        this.in = CodedInputStream.newInstance(bytes, offset, length);
        this.interner = interner;
    }

    /** A piece carried as a bytes field (the same wire format as the embedded message it holds). */
    public static RingPiece read(ByteString piece, Interner interner) throws BadFrameException {
        byte[] bytes = piece.toByteArray();
        return read(bytes, 0, bytes.length, interner);
    }

    public static RingPiece read(byte[] bytes, int offset, int length, Interner interner) throws BadFrameException {
        RingPieceReader reader = new RingPieceReader(bytes, offset, length, interner);
        try {
            reader.fields();
        } catch (InvalidProtocolBufferException e) {
            throw new BadFrameException(Reject.MALFORMED, "not a ring piece: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BadFrameException(Reject.MALFORMED, "not a ring piece: " + e, e);
        }
        return reader.out.toPiece(interner);
    }

    private void fields() throws IOException, BadFrameException {
        while (true) {
            int tag = in.readTag();
            switch (tag) {
                case 0 -> {
                    return;
                }
                case CLUSTER -> out.cluster = in.readStringRequireUtf8();
                case UNIVERSE_START -> out.universeStart = in.readUInt64();
                case UNIVERSE_END -> out.universeEnd = in.readUInt64();
                case COMPLETE -> out.complete = in.readBool();
                case PEERS -> peer(out.peers);
                case TOMBSTONES -> peer(out.tombstones);
                default -> {
                    RingColumns.Longs column = column(out, tag >>> 3);
                    int type = tag & 7;
                    if (column != null && type == VARINT) {
                        column.add(value(tag >>> 3));
                    } else if (column != null && type == DELIMITED) {
                        // Packed: what protobuf writes for repeated scalars (unpacked is accepted too, as the
                        // generated parser does). Skipping checks the length as pushing a limit would.
                        int length = in.readRawVarint32();
                        int at = offset + in.getTotalBytesRead();
                        in.skipRawBytes(length);
                        packed(at, at + length, column, tag >>> 3);
                    } else if (!in.skipField(tag)) {
                        // An end-group tag outside any group: the generated parser refuses it too.
                        throw new BadFrameException(Reject.MALFORMED, "a ring piece with a stray end-group tag");
                    }
                }
            }
        }
    }

    private static RingColumns.Longs column(RingColumns c, int field) {
        return switch (field) {
            case TOKEN_GAPS -> c.tokenGaps;
            case VERSIONS -> c.versions;
            case CLAIM_COUNTS -> c.claimCounts;
            case OWNERS -> c.owners;
            case FREES -> c.frees;
            case ENDS -> c.ends;
            case TAKEOVERS -> c.takeovers;
            default -> null;
        };
    }

    /** One varint as the field's proto type reads it: uint32 keeps the low 32 bits, bool is nonzero. */
    private long value(int field) throws IOException {
        return switch (field) {
            case CLAIM_COUNTS, OWNERS -> in.readUInt32();
            case TAKEOVERS -> in.readBool() ? 1 : 0;
            default -> in.readUInt64();
        };
    }

    /**
     * A packed run of varints, decoded here rather than one {@link CodedInputStream} call each (the columns
     * are most of a ring's bytes): as protobuf reads them, at most ten bytes each, bits past 64 dropped, and
     * one cut short by the run's end refused. Byte by byte: reading eight bytes at a time and
     * joining their 7-bit groups without a branch was tried and was slower (each number's position then waits
     * on the one before it, where a predicted branch lets the core run ahead; most numbers here are one byte).
     * The uint32 and bool columns are narrowed after the run, so the loop does one thing.
     */
    private void packed(int from, int to, RingColumns.Longs column, int field)
            throws BadFrameException {
        // The run's last byte ends a number, so no number read below runs past the run.
        if (from < to && bytes[to - 1] < 0) {
            throw new BadFrameException(Reject.MALFORMED, "a ring piece column whose last number is cut short");
        }
        // Every column after the token gaps usually has one value per token: room for that many, else counted.
        long[] values = column.reserve(column != out.tokenGaps && out.tokenGaps.size > 0 ? out.tokenGaps.size
                : count(from, to));
        int first = column.size;
        int size = first;
        int i = from;
        while (i < to) {
            if (size == values.length) {
                column.size = size;
                values = column.reserve(count(i, to));
            }
            long b = bytes[i++];
            long v = b;
            if (b < 0) {
                v = b & 0x7f;
                int shift = 7;
                do {
                    if (shift >= 64) {
                        throw new BadFrameException(Reject.MALFORMED, "a ring piece column with a number over ten bytes");
                    }
                    b = bytes[i++];
                    v |= (b & 0x7f) << shift;
                    shift += 7;
                } while (b < 0);
            }
            values[size++] = v;
        }
        column.size = size;
        switch (field) {
            case CLAIM_COUNTS, OWNERS -> {
                for (int k = first; k < size; k++) {
                    values[k] = (int) values[k]; // uint32: the low 32 bits, as readUInt32 keeps
                }
            }
            case TAKEOVERS -> {
                for (int k = first; k < size; k++) {
                    values[k] = values[k] != 0 ? 1 : 0;
                }
            }
            default -> { }
        }
    }

    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** How many numbers begin in {@code bytes[from, to)}: each ends with a byte whose high bit is clear. */
    private int count(int from, int to) {
        int count = 0;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            count += Long.BYTES - Long.bitCount((long) LITTLE_ENDIAN_LONG.get(bytes, i) & HIGH_BITS);
        }
        for (; i < to; i++) {
            count += bytes[i] >>> 31 ^ 1;
        }
        return count;
    }

    /**
     * One PeerRef sub-message; its name is looked at in place and becomes a string only for a newcomer. What
     * weft writes (name, then uid, nothing else, a name under 128 bytes) is read straight from the bytes;
     * anything else that protobuf accepts goes through {@link CodedInputStream} field by field.
     */
    private void peer(RingColumns.Peers column) throws IOException, BadFrameException {
        int length = in.readRawVarint32();
        int at = offset + in.getTotalBytesRead();
        int nameLength = at + 1 < end ? bytes[at + 1] : -1;
        if (length >= 11 && length <= end - at && bytes[at] == PEER_NAME && nameLength >= 0
                && length == 2 + nameLength + 9 && bytes[at + 2 + nameLength] == PEER_UID) {
            in.skipRawBytes(length);
            add(column, at + 2, nameLength, littleEndian64(at + 3 + nameLength));
            return;
        }
        int limit = in.pushLimit(length);
        int nameAt = 0;
        nameLength = 0;
        long uid = 0;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (tag == PEER_NAME) {
                nameLength = in.readRawVarint32();
                nameAt = offset + in.getTotalBytesRead();
                in.skipRawBytes(nameLength); // refuses a negative or overlong length, as reading a string does
            } else if (tag == PEER_UID) {
                uid = in.readFixed64();
            } else if (!in.skipField(tag)) {
                throw new BadFrameException(Reject.MALFORMED, "a peer reference with a stray end-group tag");
            }
        }
        in.popLimit(limit);
        add(column, nameAt, nameLength, uid);
    }

    private void add(RingColumns.Peers column, int nameAt, int nameLength, long uid) throws BadFrameException {
        PeerId known = interner.findPeer(uid, bytes, nameAt, nameLength);
        if (known != null) {
            column.add(known, null, uid);
            return;
        }
        // proto3 strings must be valid UTF-8; the generated parser refuses the frame otherwise.
        if (!UnsafeByteOperations.unsafeWrap(bytes, nameAt, nameLength).isValidUtf8()) {
            throw new BadFrameException(Reject.MALFORMED, "a peer name that is not UTF-8");
        }
        column.add(null, new String(bytes, nameAt, nameLength, StandardCharsets.UTF_8), uid);
    }

    private long littleEndian64(int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | bytes[at + i] & 0xffL;
        }
        return v;
    }
}
