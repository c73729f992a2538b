package dev.weft.gossip.wire;

import dev.weft.core.node.Message;
import dev.weft.gossip.Counters;
import dev.weft.gossip.wire.proto.Frame;

/**
 * The first stop of every frame from the network: size bound, parse, decode, and the counting of bytes
 * by kind and of every reject by reason. What comes out is a core message the core could have built, a
 * transport frame (hello, known peers, refusal), or a counted rejection; never an exception.
 */
public final class Intake {

    public sealed interface Item {}

    public record Core(String kind, Message message) implements Item {}

    public record Control(Frame frame) implements Item {}

    public record Bad(BadFrameException error) implements Item {}

    /**
     * Room for every install of the largest cluster (Kubernetes' 5000 nodes) and its tombstones, about three
     * times over so that buckets rarely overflow: 16384 slots, 64 KB of references and 128 KB of uids.
     */
    public static final int KEPT_INSTALLS = 16_384;
    /**
     * Room for the 20,000 entries of a 5000-peer ring (four ranges each), over half again: 128 KB of
     * references and 256 KB of tokens.
     */
    public static final int KEPT_ENTRIES = 32_768;

    private final int maxFrameBytes;
    private final Counters counters;
    private final Interner known = new Interner(KEPT_INSTALLS, KEPT_ENTRIES);

    public Intake(int maxFrameBytes, Counters counters) {
        this.maxFrameBytes = maxFrameBytes;
        this.counters = counters;
    }

    public Item take(byte[] bytes) {
        counters.add("bytes.in", bytes.length);
        try {
            Frame f = FrameCodec.parse(bytes, maxFrameBytes);
            if (f.getKindCase() != Frame.KindCase.MESSAGE) {
                counters.add("bytes.in." + f.getKindCase().name().toLowerCase(java.util.Locale.ROOT), bytes.length);
                return new Control(f);
            }
            String kind = MessageEncoder.kind(f.getMessage());
            counters.add("bytes.in." + kind, bytes.length);
            return new Core(kind, MessageDecoder.decode(f.getMessage(), known));
        } catch (BadFrameException e) {
            counters.inc(e.reason().counter());
            return new Bad(e);
        } catch (RuntimeException e) {
            // A decoder path no check foresaw: still a rejection, never a crash of the link's thread.
            counters.inc(Reject.MALFORMED.counter());
            return new Bad(new BadFrameException(Reject.MALFORMED, "undecodable frame: " + e, e));
        }
    }
}
