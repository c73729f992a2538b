package dev.weft.gossip.wire;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.ring.Segments;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.gossip.wire.proto.BallotMsg;
import dev.weft.gossip.wire.proto.CoreMessage;
import dev.weft.gossip.wire.proto.HandOverMsg;
import dev.weft.gossip.wire.proto.YieldMsg;
import dev.weft.gossip.wire.proto.HoldMsg;
import dev.weft.gossip.wire.proto.PeerRef;
import dev.weft.gossip.wire.proto.RingPieceMsg;
import java.util.ArrayList;
import java.util.List;

/**
 * Protobuf into core messages, treating every byte as hostile: whatever the core's constructors would
 * refuse (their {@link IllegalArgumentException}s) becomes a {@link BadFrameException} with reason
 * {@link Reject#BAD_SHAPE}, and a missing part becomes {@link Reject#MALFORMED}. A decoded message is one
 * the core could have built itself.
 */
public final class MessageDecoder {
    private static final long MAX_IPV4 = 0xFFFF_FFFFL;

    private MessageDecoder() {}

    /** Without an intern table: every install and entry in the message is built afresh. */
    public static Message decode(CoreMessage m) throws BadFrameException {
        return decode(m, Interner.NONE);
    }

    /** Installs and entries already in {@code interner} come out as its instances (see {@link Interner}). */
    public static Message decode(CoreMessage m, Interner interner) throws BadFrameException {
        try {
            return switch (m.getKindCase()) {
                case DIGEST -> new Message.Digest(clusterOrNull(m.getDigest().getCluster()), m.getDigest().getDigest());
                case GOSSIP -> {
                    var g = m.getGossip();
                    require(!g.getPiece().isEmpty(), "gossip without a ring piece");
                    yield new Message.Gossip(RingPieceReader.read(g.getPiece(), interner), g.getSenderDigest(),
                            g.getReplyIfBehind());
                }
                case SPACE_REQUEST -> {
                    var r = m.getSpaceRequest();
                    yield new Message.SpaceRequest(r.getAsk(), new Range(r.getStart(), r.getEnd()), r.getExact());
                }
                case SPACE_GRANT -> {
                    var g = m.getSpaceGrant();
                    require(!g.getChange().isEmpty(), "space grant without its ring change");
                    yield new Message.SpaceGrant(g.getAsk(), RingPieceReader.read(g.getChange(), interner));
                }
                case SPACE_DENIED -> new Message.SpaceDenied(m.getSpaceDenied().getAsk(), m.getSpaceDenied().getReason(),
                        m.getSpaceDenied().getInUse());
                case PREPARE -> new Message.Prepare(ballot(m.getPrepare().hasBallot(), m.getPrepare().getBallot()));
                case PROMISE -> {
                    var p = m.getPromise();
                    Ballot accepted = p.hasAccepted() ? ballot(true, p.getAccepted()) : null;
                    // An empty member list is how "no value" travels; the core refuses a value without a ballot.
                    List<PeerId> value = p.getValueCount() == 0 ? null : peers(p.getValueList());
                    yield new Message.Promise(ballot(p.hasBallot(), p.getBallot()), accepted, value);
                }
                case ACCEPT -> new Message.Accept(ballot(m.getAccept().hasBallot(), m.getAccept().getBallot()),
                        peers(m.getAccept().getValueList()));
                case ACCEPTED -> new Message.Accepted(ballot(m.getAccepted().hasBallot(), m.getAccepted().getBallot()));
                case NACK -> {
                    var n = m.getNack();
                    yield new Message.Nack(ballot(n.hasBallot(), n.getBallot()),
                            n.hasPromised() ? ballot(true, n.getPromised()) : null);
                }
                case HAND_OVER -> handOver(m.getHandOver());
                case GAP_QUERY -> new Message.GapQuery(m.getGapQuery().getNonce(),
                        new Range(m.getGapQuery().getStart(), m.getGapQuery().getEnd()));
                case GAP_ANSWER -> new Message.GapAnswer(m.getGapAnswer().getNonce(), m.getGapAnswer().getOwnsNothing());
                case SEGMENT_DIGESTS -> {
                    var d = m.getSegmentDigests();
                    // Bounded before anything is built: at most one digest per leaf.
                    require(d.getDigestsCount() <= Segments.LEAVES && d.getUnderCount() <= Segments.TOPS,
                            "segment digests with " + d.getDigestsCount() + " digests under " + d.getUnderCount()
                                    + " segments; at most " + Segments.LEAVES + " under " + Segments.TOPS);
                    ClusterId cluster = clusterOrNull(d.getCluster());
                    require(cluster != null, "segment digests without their cluster identity");
                    yield new Message.SegmentDigests(cluster, d.getRingDigest(), d.getUnderList(), d.getDigestsList());
                }
                case SEGMENT_ENTRIES -> {
                    var e = m.getSegmentEntries();
                    require(!e.getPiece().isEmpty(), "segment entries without a ring piece");
                    require(e.getLeavesCount() <= Segments.LEAVES, "segment entries naming " + e.getLeavesCount()
                            + " leaves; there are " + Segments.LEAVES);
                    yield new Message.SegmentEntries(RingPieceReader.read(e.getPiece(), interner), e.getSenderDigest(),
                            e.getLeavesList(), e.getReplyIfBehind());
                }
                case KIND_NOT_SET -> throw new BadFrameException(Reject.MALFORMED,
                        "a core message of no kind this peer knows (a newer peer's message, or garbage)");
            };
        } catch (IllegalArgumentException e) {
            throw new BadFrameException(Reject.BAD_SHAPE, "refused by the core's checks: " + e.getMessage(), e);
        }
    }

    /**
     * The reference reader: a piece parsed by protobuf's generated classes. Frames take the faster
     * {@link RingPieceReader}; this one is what that reader is checked against, and what the benchmarks
     * compare it with.
     */
    public static RingPiece piece(RingPieceMsg p) throws BadFrameException {
        RingColumns c = new RingColumns();
        c.cluster = p.getCluster();
        c.universeStart = p.getUniverseStart();
        c.universeEnd = p.getUniverseEnd();
        c.complete = p.getComplete();
        for (PeerRef r : p.getPeersList()) {
            c.peers.add(null, r.getName(), r.getUid());
        }
        for (PeerRef r : p.getTombstonesList()) {
            c.tombstones.add(null, r.getName(), r.getUid());
        }
        // Index loops over protobuf's primitive getters: its List<Long> views would box every value.
        for (int i = 0; i < p.getTokenGapsCount(); i++) {
            c.tokenGaps.add(p.getTokenGaps(i));
        }
        for (int i = 0; i < p.getVersionsCount(); i++) {
            c.versions.add(p.getVersions(i));
        }
        for (int i = 0; i < p.getClaimCountsCount(); i++) {
            c.claimCounts.add(p.getClaimCounts(i));
        }
        for (int i = 0; i < p.getOwnersCount(); i++) {
            c.owners.add(p.getOwners(i));
        }
        for (int i = 0; i < p.getFreesCount(); i++) {
            c.frees.add(p.getFrees(i));
        }
        for (int i = 0; i < p.getEndsCount(); i++) {
            c.ends.add(p.getEnds(i));
        }
        for (int i = 0; i < p.getTakeoversCount(); i++) {
            c.takeovers.add(p.getTakeovers(i) ? 1 : 0);
        }
        return c.toPiece(Interner.NONE);
    }

    private static Message.HandOver handOver(HandOverMsg h) {
        // Counted before anything is built: a hostile peer must not make us allocate past the core's bound.
        if (h.getHoldsCount() > Message.MAX_HANDED_OVER) {
            throw new IllegalArgumentException("a hand-over of " + h.getHoldsCount() + " holds; at most "
                    + Message.MAX_HANDED_OVER + " fit in one");
        }
        List<Hold> holds = new ArrayList<>(h.getHoldsCount());
        for (HoldMsg x : h.getHoldsList()) {
            holds.add(hold(x));
        }
        if (h.getYieldedCount() > Message.MAX_HANDED_OVER) {
            throw new IllegalArgumentException("a hand-over yielding " + h.getYieldedCount() + " entries; at most "
                    + Message.MAX_HANDED_OVER + " fit in one");
        }
        List<Message.Yield> yielded = new ArrayList<>(h.getYieldedCount());
        for (YieldMsg y : h.getYieldedList()) {
            // The core's record refuses a token past the address space or a version below 1 (a hostile frame).
            yielded.add(new Message.Yield(y.getToken(), y.getVersion()));
        }
        return new Message.HandOver(holds, peers(h.getAwaitedList()), yielded);
    }

    /** The Attachment constructor refuses an empty container id, interface or network (no default is guessed). */
    public static Hold hold(HoldMsg h) {
        if (h.getAddress() < 0 || h.getAddress() > MAX_IPV4) {
            throw new IllegalArgumentException("a held address " + Long.toUnsignedString(h.getAddress())
                    + " that is not an IPv4 address");
        }
        return new Hold(new Attachment(h.getContainerId(), h.getIfname(), h.getNetwork()), h.getAddress());
    }

    public static PeerId peer(PeerRef p) {
        return new PeerId(p.getName(), p.getUid());
    }

    public static ClusterId clusterOrNull(String value) {
        return value.isEmpty() ? null : new ClusterId(value);
    }

    private static List<PeerId> peers(List<PeerRef> refs) {
        List<PeerId> out = new ArrayList<>(refs.size());
        for (PeerRef r : refs) {
            out.add(peer(r));
        }
        return out;
    }

    private static Ballot ballot(boolean present, BallotMsg b) throws BadFrameException {
        require(present, "a Paxos message without its ballot");
        require(b.hasProposer(), "a ballot without its proposer");
        return new Ballot(b.getRound(), peer(b.getProposer()));
    }

    private static void require(boolean ok, String what) throws BadFrameException {
        if (!ok) {
            throw new BadFrameException(Reject.MALFORMED, what);
        }
    }
}
