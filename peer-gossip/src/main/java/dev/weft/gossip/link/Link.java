package dev.weft.gossip.link;

import dev.weft.core.peer.PeerId;
import dev.weft.gossip.HostPort;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * One bidirectional stream with one peer, dialled by us or accepted from it. Used only from the
 * transport's loop thread, so it needs no locks.
 */
public final class Link {
    public enum Side { DIALLED, ACCEPTED }

    public final long id;
    public final Side side;
    /** For a dialled link: the address dialled, and the install we meant to reach (null for a seed). */
    public final HostPort dialled;
    public final PeerId expected;
    private final ManagedChannel channel;
    /** The certified name of the other side (its leaf's CN), or null on plaintext links. */
    private final Supplier<String> certifiedName;

    private StreamObserver<byte[]> out;
    private PeerId peer;
    private int protocol;
    private long lastActivity;
    private boolean closed;
    private boolean closedByUs;
    private long badFrames;

    public Link(long id, Side side, HostPort dialled, PeerId expected, ManagedChannel channel, Supplier<String> certifiedName,
            long now) {
        this.id = id;
        this.side = side;
        this.dialled = dialled;
        this.expected = expected;
        this.channel = channel;
        this.certifiedName = certifiedName;
        this.lastActivity = now;
    }

    public void attach(StreamObserver<byte[]> out) {
        this.out = out;
    }

    public void write(byte[] frame, long now) {
        if (!closed) {
            out.onNext(frame);
            lastActivity = now;
        }
    }

    /** Counts a bad frame; true when this one should be logged (the 1st, 2nd, 4th, 8th...), so a peer
     * sending garbage cannot flood the log. */
    public boolean badFrame() {
        badFrames++;
        return Long.bitCount(badFrames) == 1;
    }

    /** False while gRPC holds more than its threshold of unsent bytes for this stream (the peer is slow). */
    public boolean ready() {
        return !(out instanceof io.grpc.stub.CallStreamObserver<?> c) || c.isReady();
    }

    public void touched(long now) {
        lastActivity = now;
    }

    public long lastActivity() {
        return lastActivity;
    }

    public PeerId peer() {
        return peer;
    }

    public boolean established() {
        return peer != null && !closed;
    }

    /** The hello passed: the link is with {@code peer}, and speaks wire protocol {@code protocol}. */
    public void establish(PeerId peer, int protocol) {
        this.peer = peer;
        this.protocol = protocol;
    }

    /** The wire protocol this link speaks (the older of the two sides'); meaningful once established. */
    public int protocol() {
        return protocol;
    }

    public String certifiedName() {
        return certifiedName == null ? null : certifiedName.get();
    }

    public boolean closed() {
        return closed;
    }

    public boolean closedByUs() {
        return closedByUs;
    }

    /** An orderly close (idle, pool full, refused): the other side sees the stream end, not fail. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closedByUs = true;
        try {
            out.onCompleted();
        } catch (RuntimeException ignored) {
            // Already cancelled underneath us: nothing left to end.
        }
        if (channel != null) {
            channel.shutdown();
        }
    }

    /** Ends the stream as failed (shutting down): the other side counts it as this peer going away. */
    public void abort(String why) {
        if (closed) {
            return;
        }
        closed = true;
        closedByUs = true;
        try {
            out.onError(Status.UNAVAILABLE.withDescription(why).asRuntimeException());
        } catch (RuntimeException ignored) {
            // Already gone.
        }
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    /** The stream ended from the other side or the network; releases the channel. */
    public void ended() {
        closed = true;
        if (channel != null) {
            channel.shutdownNow();
        }
    }

    /** Waits until a dialled link's channel has let go of its connection (for an orderly shutdown). */
    public void awaitReleased(long millis) throws InterruptedException {
        if (channel != null) {
            channel.awaitTermination(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public String toString() {
        String who = peer != null ? peer.toString() : expected != null ? expected.toString() : "?";
        return who + (dialled != null ? "@" + dialled : "") + "/" + side.name().toLowerCase(java.util.Locale.ROOT) + "#" + id;
    }
}
