package dev.weft.core.node;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.space.Attachment;
import java.util.Map;
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
    record Allocate(long id, Attachment attachment, Cidr within) implements Request {
        public Allocate {
            Checks.present(attachment, "an allocate needs the attachment (container id and interface)");
        }
    }

    /** This exact address for {@code attachment} (sticky IPs, recovery). */
    record Claim(long id, Attachment attachment, long address) implements Request {
        public Claim {
            Checks.present(attachment, "a claim needs the attachment (container id and interface)");
        }
    }

    record Release(long id, Attachment attachment) implements Request {
        public Release {
            Checks.present(attachment, "a release needs the attachment (container id and interface)");
        }
    }

    /** Releases everything {@code containerId} holds on {@code network}, whatever the interface. */
    record ReleaseContainer(long id, String containerId, String network) implements Request {
        public ReleaseContainer {
            Checks.text(containerId, "a release of a container needs its id");
            Attachment.checkNetwork(network);
        }

        /** On the {@link Attachment#DEFAULT_NETWORK default network}. */
        public ReleaseContainer(long id, String containerId) {
            this(id, containerId, Attachment.DEFAULT_NETWORK);
        }
    }

    /**
     * Releases every attachment on {@code network} that is not in {@code valid} (CNI GC, or the daemon's
     * own reconciliation). Attachments on other networks are not touched: each network's GC speaks only
     * for its own attachments.
     */
    record Gc(long id, Set<Attachment> valid, String network) implements Request {
        public Gc {
            Checks.present(valid, "GC needs the list of valid attachments (an empty list releases everything;"
                    + " with no list given, do not send GC)");
            Attachment.checkNetwork(network);
            valid = Set.copyOf(valid);
            for (Attachment a : valid) {
                if (!a.network().equals(network)) {
                    throw new IllegalArgumentException("a GC of network '" + network + "' lists " + a + " of network '"
                            + a.network() + "': send one GC per network, each with its own attachments");
                }
            }
        }

        /** On the {@link Attachment#DEFAULT_NETWORK default network}. */
        public Gc(long id, Set<Attachment> valid) {
            this(id, valid, Attachment.DEFAULT_NETWORK);
        }
    }

    /**
     * Operator: take over the ranges of a lost peer, named {@code name} or {@code name#uid}. What is taken is
     * used after a cool-down and only once the removed install has handed over what its pods hold (it does
     * when it hears of its removal, should it be alive after all) or a new install runs under its name.
     * {@code force} says its host is gone for good with its pods: then the cool-down alone, and the removal
     * is allowed even while the peer is connected.
     */
    record RemovePeer(long id, String peer, boolean force) implements Request {
        public RemovePeer {
            Checks.text(peer, "name the peer to remove (its name, or name#uid)");
        }
    }

    /**
     * Driver, when names are unique per node (Kubernetes): this install takes over {@code predecessor} — an older
     * install under this peer's own name whose data folder is gone — as a removal would, and first holds, for this
     * node's pods that outlived that folder, the addresses they still have ({@code liveHolds}: attachment -> address,
     * from libcni's result cache and the node's pods). The driver checks beforehand that no peer has heard from the
     * predecessor within the grace period.
     */
    record Succeed(long id, PeerId predecessor, Map<Attachment, Long> liveHolds) implements Request {
        public Succeed {
            Checks.present(predecessor, "a succession names the predecessor install (name#uid) whose data folder is gone");
            liveHolds = Checks.liveHolds(liveHolds, "a succession", "no pod outlived the data folder");
        }
    }

    /**
     * Driver, at every start from an existing data folder, before serving CNI: every attachment this node's
     * runtime still has, on every network, with its address ({@code liveHolds}: libcni's result cache). The
     * folder may be older than the pods (restored from a backup): a listed pod not held is held again (fenced
     * where another owns its range), and a hold of this node's that is not listed at that address is released.
     */
    record Readmit(long id, Map<Attachment, Long> liveHolds) implements Request {
        public Readmit {
            liveHolds = Checks.liveHolds(liveHolds, "a readmit", "the node runs no pod");
        }
    }

    /** Operator: hand every owned range to live peers before this node goes away. */
    record Leave(long id, boolean force) implements Request {}

    /**
     * Operator: the entry whose range is {@code range}, claimed by several installs at one version, belongs to
     * {@code owner} (one of its claimants). The others yield and hand over what their pods hold there; nobody
     * allocates there until they have. {@code dev.weft.core.ring.Conflicts} lists what may be settled.
     */
    record Settle(long id, Range range, PeerId owner) implements Request {
        public Settle {
            Checks.present(range, "name the range to settle (as listed by the conflicts query)");
            Checks.present(owner, "name the install that is to own the range (one of its claimants, as name#uid)");
        }
    }

    /**
     * Operator: take over a gap (addresses no live entry covers, as {@code dev.weft.core.ring.Gap#in} lists
     * them, named exactly) once every known, non-tombstoned install has answered that it owns nothing there.
     * What is taken rests like a takeover and is used last.
     */
    record ReclaimGap(long id, Range range) implements Request {
        public ReclaimGap {
            Checks.present(range, "name the gap to reclaim (as listed by the gaps query)");
        }
    }

    /** The passage of time: timers, retries, gossip rounds, free-count reports. */
    record Tick() implements Input {}

    /** A message from another peer, as the transport delivered it. */
    record Receive(PeerId from, Message message) implements Input {
        public Receive {
            Checks.present(from, "a received message needs its sender");
            Checks.present(message, "a received message needs its content");
        }
    }

    /** The transport has a working connection to {@code peer}. */
    record PeerUp(PeerId peer) implements Input {
        public PeerUp {
            Checks.present(peer, "peer up needs the peer");
        }
    }

    /** The transport lost its connection to {@code peer}. */
    record PeerDown(PeerId peer) implements Input {
        public PeerDown {
            Checks.present(peer, "peer down needs the peer");
        }
    }
}
