package dev.weft.core.node;

import dev.weft.core.address.Cidr;
import dev.weft.core.peer.PeerId;
import dev.weft.core.space.Attachment;
import java.util.Set;

/**
 * Everything that can happen to a peer. Requests carry an id chosen by the driver; their {@link Reply}
 * carries it back. Time is never read: it comes with each call to {@link Peer#handle}.
 */
public sealed interface Input {

    /** Requests from the local API (plugin, CLI); each one is answered exactly once. */
    sealed interface Request extends Input {
        long id();
    }

    /** An address for {@code attachment}, inside {@code within} when given (else anywhere in the universe). */
    record Allocate(long id, Attachment attachment, Cidr within) implements Request {}

    /** This exact address for {@code attachment} (sticky IPs, recovery). */
    record Claim(long id, Attachment attachment, long address) implements Request {}

    record Release(long id, Attachment attachment) implements Request {}

    record ReleaseContainer(long id, String containerId) implements Request {}

    /** Releases every attachment not in {@code valid} (CNI GC, or the daemon's own reconciliation). */
    record Gc(long id, Set<Attachment> valid) implements Request {}

    /** Operator: take over the ranges of a lost peer, named {@code name} or {@code name#uid}. */
    record RemovePeer(long id, String peer, boolean force) implements Request {}

    /** Operator: hand every owned range to live peers before this node goes away. */
    record Leave(long id, boolean force) implements Request {}

    /** The passage of time: timers, retries, gossip rounds, free-count reports. */
    record Tick() implements Input {}

    /** A message from another peer, as the transport delivered it. */
    record Receive(PeerId from, Message message) implements Input {}

    /** The transport has a working connection to {@code peer}. */
    record PeerUp(PeerId peer) implements Input {}

    /** The transport lost its connection to {@code peer}. */
    record PeerDown(PeerId peer) implements Input {}
}
