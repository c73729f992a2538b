package dev.weft.daemon.store;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.node.Message;
import dev.weft.core.node.Record;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's records as stored values (schema version {@link #SCHEMA}): one tag byte naming the kind, then
 * its fields. Decoding treats the bytes as untrusted: a wrong tag, a short or long value, or a value whose
 * record does not live under the key it was read from is a {@link DamagedRecordException}, never a guess.
 */
public final class RecordCodec {
    /**
     * Bump when the layout below changes; a store written with another version is refused. 2: a hold names
     * its CNI network, a cool-down stores what is left of it and whom it waits for, and kept hand-overs and
     * grants are stored.
     */
    public static final int SCHEMA = 2;

    private static final int IDENTITY = 1;
    private static final int CLUSTER = 2;
    private static final int RING_ENTRY = 3;
    private static final int TOMBSTONE = 4;
    private static final int HELD = 5;
    private static final int COOLDOWN = 6;
    private static final int REMOVAL = 7;
    private static final int ACCEPTOR = 8;
    private static final int KEPT = 9;
    private static final int GRANT = 10;
    /** Added without a schema bump: older stores never hold it, and an older weftd refuses it as damaged. */
    private static final int RESTORED = 11;

    private RecordCodec() {}

    public static byte[] encode(Record record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (record instanceof Record.Identity r) {
                out.writeByte(IDENTITY);
                writePeer(out, r.self());
            } else if (record instanceof Record.Cluster r) {
                out.writeByte(CLUSTER);
                out.writeUTF(r.cluster().value());
                writeRange(out, r.universe());
            } else if (record instanceof Record.RingEntry r) {
                out.writeByte(RING_ENTRY);
                writeEntry(out, r.entry());
            } else if (record instanceof Record.Tombstone r) {
                out.writeByte(TOMBSTONE);
                writePeer(out, r.peer());
            } else if (record instanceof Record.Held r) {
                out.writeByte(HELD);
                writeAttachment(out, r.hold().attachment());
                out.writeLong(r.hold().address());
            } else if (record instanceof Record.Cooldown r) {
                out.writeByte(COOLDOWN);
                writeRange(out, r.range());
                out.writeLong(r.remaining());
                out.writeBoolean(r.waitsFor() != null);
                if (r.waitsFor() != null) {
                    writePeer(out, r.waitsFor());
                }
                out.writeBoolean(r.chained());
            } else if (record instanceof Record.Kept r) {
                out.writeByte(KEPT);
                writePeer(out, r.from());
                out.writeInt(r.attachments().size());
                for (Attachment a : r.attachments()) {
                    writeAttachment(out, a);
                }
            } else if (record instanceof Record.Grant r) {
                out.writeByte(GRANT);
                writePeer(out, r.asker());
                out.writeLong(r.ask());
                writeRange(out, r.block());
            } else if (record instanceof Record.Removal r) {
                out.writeByte(REMOVAL);
                writePeer(out, r.peer());
                if (r.forced()) {
                    out.writeBoolean(true); // absent for a removal without force, as stores before it was kept
                }
            } else if (record instanceof Record.Restored r) {
                out.writeByte(RESTORED);
                out.writeUTF(r.proof());
            } else if (record instanceof Record.Acceptor r) {
                out.writeByte(ACCEPTOR);
                writeBallot(out, r.promised());
                writeBallot(out, r.accepted());
                out.writeBoolean(r.value() != null);
                if (r.value() != null) {
                    out.writeInt(r.value().size());
                    for (PeerId p : r.value()) {
                        writePeer(out, p);
                    }
                }
            } else {
                // Freed and Forget delete their key (Store does that); anything else is a kind not taught here.
                throw new IllegalArgumentException("record " + record + " is a deletion or unknown: it has no value");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The record stored under {@code key}. */
    public static Record decode(String key, byte[] value) throws DamagedRecordException {
        Record r;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int tag = in.readUnsignedByte();
            r = switch (tag) {
                case IDENTITY -> new Record.Identity(readPeer(in));
                case CLUSTER -> new Record.Cluster(new ClusterId(in.readUTF()), readRange(in));
                case RING_ENTRY -> new Record.RingEntry(readEntry(in));
                case TOMBSTONE -> new Record.Tombstone(readPeer(in));
                case HELD -> new Record.Held(new Hold(readAttachment(in), in.readLong()));
                case COOLDOWN -> new Record.Cooldown(readRange(in), in.readLong(), in.readBoolean() ? readPeer(in) : null,
                        in.readBoolean());
                case KEPT -> readKept(in);
                case GRANT -> new Record.Grant(readPeer(in), in.readLong(), readRange(in));
                case REMOVAL -> new Record.Removal(readPeer(in), in.available() > 0 && in.readBoolean());
                case ACCEPTOR -> readAcceptor(in);
                case RESTORED -> new Record.Restored(in.readUTF());
                default -> throw new DamagedRecordException(key, "unknown record kind " + tag);
            };
            if (in.available() > 0) {
                throw new DamagedRecordException(key, in.available() + " bytes left over after the record");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new DamagedRecordException(key, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (!r.key().equals(key)) {
            throw new DamagedRecordException(key, "it holds the record for '" + r.key() + "'");
        }
        return r;
    }

    private static Record.Acceptor readAcceptor(DataInputStream in) throws IOException {
        Ballot promised = readBallot(in);
        Ballot accepted = readBallot(in);
        List<PeerId> value = null;
        if (in.readBoolean()) {
            int n = in.readInt();
            if (n < 0 || n > 1_000_000) {
                throw new IOException("a founding list of " + n + " peers");
            }
            value = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                value.add(readPeer(in));
            }
            value = List.copyOf(value);
        }
        return new Record.Acceptor(promised, accepted, value);
    }

    private static Record.Kept readKept(DataInputStream in) throws IOException {
        PeerId from = readPeer(in);
        int n = in.readInt();
        if (n < 0 || n > Message.MAX_HANDED_OVER) {
            throw new IOException("a hand-over kept for " + from + " of " + n + " attachments");
        }
        List<Attachment> attachments = new ArrayList<>(Math.min(n, 4096));
        for (int i = 0; i < n; i++) {
            attachments.add(readAttachment(in));
        }
        return new Record.Kept(from, attachments);
    }

    /** Container id, interface and CNI network: all three are who holds the address. */
    private static void writeAttachment(DataOutputStream out, Attachment a) throws IOException {
        out.writeUTF(a.containerId());
        out.writeUTF(a.ifname());
        out.writeUTF(a.network());
    }

    private static Attachment readAttachment(DataInputStream in) throws IOException {
        return new Attachment(in.readUTF(), in.readUTF(), in.readUTF());
    }

    private static void writeEntry(DataOutputStream out, Entry e) throws IOException {
        out.writeLong(e.token());
        out.writeLong(e.version());
        List<Claim> claims = e.claims();
        out.writeInt(claims.size());
        for (Claim c : claims) {
            writePeer(out, c.owner());
            out.writeLong(c.free());
            out.writeLong(c.end());
            out.writeBoolean(c.takeover());
        }
    }

    private static Entry readEntry(DataInputStream in) throws IOException {
        long token = in.readLong();
        long version = in.readLong();
        int n = in.readInt();
        if (n < 1 || n > 10_000) {
            throw new IOException("an entry with " + n + " claims");
        }
        List<Claim> claims = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            claims.add(new Claim(readPeer(in), in.readLong(), in.readLong(), in.readBoolean()));
        }
        return Entry.ofClaims(token, version, claims);
    }

    private static void writeBallot(DataOutputStream out, Ballot b) throws IOException {
        out.writeBoolean(b != null);
        if (b != null) {
            out.writeLong(b.round());
            writePeer(out, b.proposer());
        }
    }

    private static Ballot readBallot(DataInputStream in) throws IOException {
        return in.readBoolean() ? new Ballot(in.readLong(), readPeer(in)) : null;
    }

    private static void writePeer(DataOutputStream out, PeerId p) throws IOException {
        out.writeUTF(p.name());
        out.writeLong(p.uid());
    }

    private static PeerId readPeer(DataInputStream in) throws IOException {
        return new PeerId(in.readUTF(), in.readLong());
    }

    private static void writeRange(DataOutputStream out, Range r) throws IOException {
        out.writeLong(r.start());
        out.writeLong(r.end());
    }

    private static Range readRange(DataInputStream in) throws IOException {
        return new Range(in.readLong(), in.readLong());
    }
}
