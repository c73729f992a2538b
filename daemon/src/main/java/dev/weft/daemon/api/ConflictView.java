package dev.weft.daemon.api;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Conflict;
import dev.weft.core.ring.Ring;
import dev.weft.daemon.api.v1.ConflictsReply;
import io.grpc.Status;
import java.util.List;

/**
 * The ring's conflicts for the operator, and the claimant a {@code settle} names: read on the loop thread from
 * {@link Conflict#in}, the core's own query, so the API lists exactly what the core would settle.
 */
final class ConflictView {
    private ConflictView() {}

    /** Every conflict of this peer's ring, or null while the ring is forming. */
    static ConflictsReply conflicts(Ring ring) {
        if (ring == null) {
            return null;
        }
        ConflictsReply.Builder b = ConflictsReply.newBuilder();
        for (Conflict c : Conflict.in(ring)) {
            dev.weft.daemon.api.v1.Conflict.Builder cb = dev.weft.daemon.api.v1.Conflict.newBuilder()
                    .setRange(c.range().toString()).setStart(Wire.address(c.range().start()))
                    .setEnd(Wire.address(c.range().end())).addAllCidrs(RangeText.cidrs(c.range()))
                    .setVersion(c.version()).setOwner(c.owner() == null ? "" : c.owner().toString());
            for (Claim x : c.claims()) {
                cb.addClaims(dev.weft.daemon.api.v1.Claim.newBuilder().setOwner(x.owner().toString())
                        .setFree(x.free()).setEnd(Wire.address(x.end())).setTakeover(x.takeover()));
            }
            b.addConflicts(cb);
        }
        return b.build();
    }

    /**
     * The claimant of the conflict at {@code range} that {@code owner} names (name#uid, or a name only one
     * claimant has). When the range is not in conflict the text is parsed as name#uid and the core refuses
     * the settle with its own account of the range.
     */
    static PeerId claimant(Ring ring, Range range, String owner) {
        if (ring == null) {
            throw Answers.forming();
        }
        List<PeerId> claimants = Conflict.in(ring).stream().filter(c -> c.range().equals(range))
                .flatMap(c -> c.claims().stream().map(Claim::owner)).distinct().toList();
        List<PeerId> named = claimants.stream().filter(p -> p.toString().equals(owner)).toList();
        if (named.isEmpty() && owner.indexOf('#') < 0) {
            named = claimants.stream().filter(p -> p.name().equals(owner)).toList();
        }
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.size() > 1) {
            throw Answers.badRequest("several claimants of " + range + " are named " + owner + ": " + named
                    + "; give one as name#uid");
        }
        if (owner.indexOf('#') < 0) {
            throw claimants.isEmpty()
                    ? Answers.badRequest(range + " is not in conflict here (weft conflicts lists the ranges to"
                            + " settle); name the owner as name#uid to be told what the ring holds there")
                    : Status.NOT_FOUND.withDescription(owner + " does not claim " + range + "; its claimants are "
                            + claimants).asRuntimeException();
        }
        return installId(owner);
    }

    /** Parses {@code name#uid} (uid in hex, as every listing prints it). */
    private static PeerId installId(String text) {
        int hash = text.lastIndexOf('#');
        try {
            return new PeerId(text.substring(0, hash), Long.parseUnsignedLong(text.substring(hash + 1), 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not name#uid: the uid is the hex number weft"
                    + " peers and weft conflicts print after the #", e);
        }
    }
}
