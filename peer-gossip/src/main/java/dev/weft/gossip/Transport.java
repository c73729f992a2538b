package dev.weft.gossip;

import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import java.util.Map;

/**
 * What the daemon sees of the wire: core messages in and out of one core, and which peers are reachable.
 * The core decides what goes where; a transport only carries it. Implementations are thread-safe:
 * {@link #send} may be called from any thread and never blocks on the network, and the {@link Listener}
 * is called from the transport's own threads (the daemon queues each call to its event loop).
 */
public interface Transport extends AutoCloseable {

    /** Called by the transport's threads; implementations must return quickly (queue, don't work). */
    interface Listener {
        /** A message from {@code from}, decoded and checked: only messages the core could accept arrive. */
        void onMessage(PeerId from, Message message);

        /** A working link to {@code peer} (its handshake passed): the core's {@code PeerUp}. */
        void onPeerUp(PeerId peer);

        /**
         * {@code peer} failed (connect refused, keepalive lost, handshake refused): the core's
         * {@code PeerDown}. Never called because an idle link was closed on purpose.
         */
        void onPeerDown(PeerId peer);
    }

    /** Starts listening and dialling the seeds; messages and peer events go to {@code listener}. */
    void start(Listener listener) throws java.io.IOException;

    /**
     * Dials {@code address} as if it had been a seed at start (and again, with back-off, while it fails):
     * a peer found after start, such as a new node's daemon in Kubernetes mode. An address already linked or
     * being dialled, or this peer's own, is left alone.
     */
    void addSeed(HostPort address);

    /**
     * Queues {@code message} for {@code to}. Delivery is best effort (the core retries and gossips again);
     * a message for a peer with no address known is dropped and counted.
     */
    void send(PeerId to, Message message);

    /**
     * When each known install was last heard from (wall-clock millis), directly or as reported by other
     * peers: removal of a peer is refused while anyone heard from it within a grace period.
     */
    Map<PeerId, Long> lastHeard();

    /**
     * Where each known install is dialled: the address it advertised in its hello, or that other peers
     * reported (the daemon routes other nodes' pod ranges via the host part). Throws
     * {@link IllegalStateException} when the transport cannot tell now, rather than answer with an empty map
     * that would read as "nobody has an address".
     */
    Map<PeerId, HostPort> addresses();

    /** Counters by name (links, bytes and messages in/out by kind, rejects by reason), for metrics. */
    Map<String, Long> counters();

    /** Stops listening, closes every link and releases threads; idempotent. */
    @Override
    void close();
}
