package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.space.Attachment;
import java.util.ArrayList;
import java.util.List;

/**
 * A request waiting for space from another peer: an allocate inside {@code within}, or a claim of the one
 * address {@code within.start()} when {@code exact}. Repeats of the same request join its {@code ids}.
 */
final class Pending {
    final List<Long> ids = new ArrayList<>();
    final Attachment attachment;
    final Range within;
    final boolean exact;
    final long deadline;

    Pending(long id, Attachment attachment, Range within, boolean exact, long deadline) {
        this.ids.add(id);
        this.attachment = attachment;
        this.within = within;
        this.exact = exact;
        this.deadline = deadline;
    }

    AskKey key() {
        return new AskKey(within, exact);
    }

    /** What an ask is for: pendings with the same key share one ask. */
    record AskKey(Range within, boolean exact) {}

    /** One outstanding request for space to one donor. */
    record Ask(long id, AskKey key, dev.weft.core.peer.PeerId donor, long deadline) {}
}
