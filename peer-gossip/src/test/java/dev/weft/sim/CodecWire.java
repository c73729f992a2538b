package dev.weft.sim;

import dev.weft.core.node.Envelope;
import dev.weft.core.node.Message;
import dev.weft.gossip.wire.MessageEncoder;
import dev.weft.gossip.wire.proto.CoreMessage;
import dev.weft.gossip.wire.proto.Frame;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongBiFunction;

/**
 * Sizes every message the simulator sends with the real encoder, as the transport frames it
 * ({@code Frame{message}}: what {@code GrpcTransport} counts as {@code bytes.out}; HTTP/2 and TLS framing not
 * included), and counts them by kind. A whole ring is counted apart, by whether its receiver had a ring yet
 * (a joiner or a restarted peer needs one; a peer that has one should only ever need what differs).
 */
final class CodecWire implements ToLongBiFunction<SimNode, Envelope> {
    private final Simulation sim;
    /** Kind (the proto's field name, or "whole ring") to {messages, bytes}. */
    private final Map<String, long[]> byKind = new TreeMap<>();
    long wholeToFormed;
    long wholeToJoiners;

    CodecWire(Simulation sim) {
        this.sim = sim;
    }

    @Override
    public long applyAsLong(SimNode from, Envelope e) {
        CoreMessage cm = MessageEncoder.encode(e.message());
        long bytes = Frame.newBuilder().setMessage(cm).build().getSerializedSize();
        String kind = MessageEncoder.kind(cm);
        if (wholeRing(e.message())) {
            kind = "whole ring";
            SimNode to = sim.node(e.to().name());
            boolean joiner = to == null || !to.up() || !to.id.equals(e.to()) || to.peer.ring() == null;
            if (joiner) {
                wholeToJoiners++;
            } else {
                wholeToFormed++;
            }
        }
        long[] c = byKind.computeIfAbsent(kind, k -> new long[2]);
        c[0]++;
        c[1] += bytes;
        return bytes;
    }

    /** Whether {@code m} carries a whole ring (a gossip, or segment entries that cover every segment). */
    static boolean wholeRing(Message m) {
        return m instanceof Message.Gossip g && g.piece().complete()
                || m instanceof Message.SegmentEntries s && s.piece().complete();
    }

    /** Messages and bytes by kind so far: {kind: {messages, bytes}} (a copy). */
    Map<String, long[]> byKind() {
        Map<String, long[]> copy = new TreeMap<>();
        byKind.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }
}
