package dev.weft.core.node;

import dev.weft.core.peer.PeerId;
import java.util.List;

/**
 * Shape checks for inputs and messages, run when they are built, so that nothing malformed (from the local
 * API or decoded from another peer's bytes) reaches the state machine: the caller gets an
 * {@link IllegalArgumentException} that says what is missing, and no state has changed.
 */
final class Checks {
    /** More founding members than any cluster weft is built for: a bound on what a peer can make us store. */
    static final int MAX_MEMBERS = 1 << 16;

    private Checks() {}

    static void present(Object o, String what) {
        if (o == null) {
            throw new IllegalArgumentException(what);
        }
    }

    /** A node's live attachments and their addresses, each present; an immutable copy. */
    static java.util.Map<dev.weft.core.space.Attachment, Long> liveHolds(
            java.util.Map<dev.weft.core.space.Attachment, Long> live, String of, String whenEmpty) {
        present(live, of + " needs the node's live attachments and their addresses (an empty map when " + whenEmpty + ")");
        for (java.util.Map.Entry<dev.weft.core.space.Attachment, Long> e : live.entrySet()) {
            present(e.getKey(), "a live hold of " + of + " needs its attachment");
            present(e.getValue(), "the live hold of " + e.getKey() + " needs its address");
        }
        return java.util.Map.copyOf(live);
    }

    static void text(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what);
        }
    }

    static List<PeerId> members(List<PeerId> value) {
        if (value == null || value.isEmpty() || value.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("a founding member list has 1 to " + MAX_MEMBERS + " peers, got "
                    + (value == null ? "none" : value.size()));
        }
        return List.copyOf(value);
    }

    /** Segment indexes: present, strictly increasing, each below {@code bound}; returns an immutable copy. */
    static List<Integer> segments(List<Integer> value, int bound, String what) {
        present(value, what + " without its list of segments (an empty list when none)");
        int previous = -1;
        for (Integer i : value) {
            if (i == null || i <= previous || i >= bound) {
                throw new IllegalArgumentException(what + " names segments " + value + ": they must increase strictly"
                        + " and lie in [0, " + bound + ")");
            }
            previous = i;
        }
        return List.copyOf(value);
    }
}
