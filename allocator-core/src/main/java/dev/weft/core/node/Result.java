package dev.weft.core.node;

import dev.weft.core.space.Hold;
import java.util.List;

/** The answer to one request. */
public sealed interface Result {

    record Assigned(long address) implements Result {}

    /** What was freed (possibly nothing: releasing an unknown attachment succeeds). */
    record Released(List<Hold> freed) implements Result {}

    record Done(String message) implements Result {}

    /** Not now, with why (forming ring, waiting on a peer for space): CNI code 11. */
    record TryLater(String reason) implements Result {}

    /** No, with why and what to do. */
    record Refused(Why why, String message) implements Result {}

    enum Why {
        /** The request itself is wrong (address outside the universe, bad CIDR). */
        BAD_REQUEST,
        /** The address is held by another attachment, or the attachment holds a different one. */
        IN_USE,
        /** This peer was removed or lost the range: it must not allocate. */
        FENCED,
        /** An operator command refused for safety (peer still connected, addresses still held). */
        UNSAFE,
        /** The named peer does not exist. */
        UNKNOWN_PEER
    }
}
