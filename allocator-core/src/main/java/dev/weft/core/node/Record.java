package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.List;

/**
 * What a peer must make durable, as plain keyed values: the store keeps the latest record per key, and a
 * record that {@link #deletes()} removes its key. {@link Peer#recover} rebuilds the same state from them.
 */
public sealed interface Record {
    String key();

    default boolean deletes() {
        return false;
    }

    /** Who this install is. Written once, in the very first step; its absence means a fresh install. */
    record Identity(PeerId self) implements Record {
        public String key() {
            return "identity";
        }
    }

    record Cluster(ClusterId cluster, Range universe) implements Record {
        public String key() {
            return "cluster";
        }
    }

    record RingEntry(Entry entry) implements Record {
        public String key() {
            return String.format("ring/%016x", entry.token());
        }
    }

    record Tombstone(PeerId peer) implements Record {
        public String key() {
            return "tombstone/" + peer;
        }
    }

    record Held(Hold hold) implements Record {
        public String key() {
            return holdKey(hold.attachment());
        }
    }

    record Freed(Attachment attachment) implements Record {
        public String key() {
            return holdKey(attachment);
        }

        @Override
        public boolean deletes() {
            return true;
        }
    }

    /**
     * A range taken over from a removed peer, not to be used before {@code remaining} more milliseconds have
     * passed on this peer. A duration, not a time: after a restart it counts again from the first step, so a
     * clock that was reset or jumped never ends it early. Rewritten as it shrinks, deleted when over.
     */
    record Cooldown(Range range, long remaining, PeerId waitsFor, boolean chained) implements Record {
        public String key() {
            return String.format("cooldown/%016x-%016x", range.start(), range.end());
        }

        /** A rest that waits for nothing but time. */
        public Cooldown(Range range, long remaining) {
            this(range, remaining, null, false);
        }
    }

    /**
     * Attachments of removed install {@code from} that this peer keeps held for it: the removed install
     * handed them over (its pods still run) and says when each is released.
     */
    record Kept(PeerId from, List<Attachment> attachments) implements Record {
        public Kept {
            attachments = List.copyOf(attachments);
        }

        public String key() {
            return "kept/" + from;
        }
    }

    /** Deletes what is stored under {@code key} (a cool-down that is over, a grant no longer remembered). */
    record Forget(String key) implements Record {
        @Override
        public boolean deletes() {
            return true;
        }
    }

    /**
     * This peer removed {@code peer}: it takes over any entry of that install it learns of later (a grant
     * to it that the removal had not yet heard of), so no range stays with a tombstone. {@code forced}: the
     * operator said its host is gone with its pods, so what is taken later waits for no hand-over either.
     */
    record Removal(PeerId peer, boolean forced) implements Record {
        public Removal(PeerId peer) {
            this(peer, false);
        }

        public String key() {
            return "removal/" + peer;
        }
    }

    /**
     * This peer gave {@code block} to {@code asker} for its space request {@code ask}: the same request
     * again gets the same block, even after a restart, never a second one.
     */
    record Grant(PeerId asker, long ask, Range block) implements Record {
        public String key() {
            return "grant/" + asker + "/" + Long.toHexString(ask);
        }
    }

    /**
     * This install's folder was found restored from an older backup ({@code proof} says how): it stays fenced
     * across restarts. Written in the step that reads the proof, beside the ring entries that carry it, since
     * once those are stored the folder no longer looks older and the proof could not be read again.
     */
    record Restored(String proof) implements Record {
        public String key() {
            return "restored";
        }
    }

    /** The Paxos acceptor's promise and acceptance: without them a restarted acceptor could vote twice. */
    record Acceptor(Ballot promised, Ballot accepted, List<PeerId> value) implements Record {
        public String key() {
            return "paxos";
        }
    }

    /**
     * {@code hold/<network>/<length of container id>/<container id>/<ifname>}: a network name holds no '/'
     * (see {@link Attachment#checkNetwork}) and the container id is length-prefixed, so no two attachments
     * share a key whatever characters their container id and interface name hold.
     */
    static String holdKey(Attachment a) {
        return "hold/" + a.network() + "/" + a.containerId().length() + "/" + a.containerId() + "/" + a.ifname();
    }
}
