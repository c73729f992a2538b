package dev.weft.gossip.wire;

import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.gossip.wire.proto.AcceptMsg;
import dev.weft.gossip.wire.proto.AcceptedMsg;
import dev.weft.gossip.wire.proto.BallotMsg;
import dev.weft.gossip.wire.proto.CoreMessage;
import dev.weft.gossip.wire.proto.DigestMsg;
import dev.weft.gossip.wire.proto.GossipMsg;
import dev.weft.gossip.wire.proto.GapAnswerMsg;
import dev.weft.gossip.wire.proto.GapQueryMsg;
import dev.weft.gossip.wire.proto.HandOverMsg;
import dev.weft.gossip.wire.proto.YieldMsg;
import dev.weft.gossip.wire.proto.HoldMsg;
import dev.weft.gossip.wire.proto.NackMsg;
import dev.weft.gossip.wire.proto.PeerRef;
import dev.weft.gossip.wire.proto.PrepareMsg;
import dev.weft.gossip.wire.proto.PromiseMsg;
import dev.weft.gossip.wire.proto.RingPieceMsg;
import dev.weft.gossip.wire.proto.SegmentDigestsMsg;
import dev.weft.gossip.wire.proto.SegmentEntriesMsg;
import dev.weft.gossip.wire.proto.SpaceDeniedMsg;
import dev.weft.gossip.wire.proto.SpaceGrantMsg;
import dev.weft.gossip.wire.proto.SpaceRequestMsg;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Core messages into protobuf. Stateless; the inverse is {@link MessageDecoder}. */
public final class MessageEncoder {
    private MessageEncoder() {}

    public static CoreMessage encode(Message m) {
        CoreMessage.Builder b = CoreMessage.newBuilder();
        if (m instanceof Message.Digest d) {
            b.setDigest(DigestMsg.newBuilder().setCluster(cluster(d.cluster())).setDigest(d.digest()));
        } else if (m instanceof Message.Gossip g) {
            b.setGossip(GossipMsg.newBuilder().setPiece(piece(g.piece()).toByteString()).setSenderDigest(g.senderDigest())
                    .setReplyIfBehind(g.replyIfBehind()));
        } else if (m instanceof Message.SpaceRequest r) {
            b.setSpaceRequest(SpaceRequestMsg.newBuilder().setAsk(r.ask()).setStart(r.within().start())
                    .setEnd(r.within().end()).setExact(r.exact()));
        } else if (m instanceof Message.SpaceGrant g) {
            b.setSpaceGrant(SpaceGrantMsg.newBuilder().setAsk(g.ask()).setChange(piece(g.change()).toByteString()));
        } else if (m instanceof Message.SpaceDenied d) {
            b.setSpaceDenied(SpaceDeniedMsg.newBuilder().setAsk(d.ask()).setReason(d.reason()).setInUse(d.inUse()));
        } else if (m instanceof Message.Prepare p) {
            b.setPrepare(PrepareMsg.newBuilder().setBallot(ballot(p.ballot())));
        } else if (m instanceof Message.Promise p) {
            PromiseMsg.Builder pb = PromiseMsg.newBuilder().setBallot(ballot(p.ballot()));
            if (p.accepted() != null) {
                pb.setAccepted(ballot(p.accepted()));
                p.value().forEach(v -> pb.addValue(peer(v)));
            }
            b.setPromise(pb);
        } else if (m instanceof Message.Accept a) {
            AcceptMsg.Builder ab = AcceptMsg.newBuilder().setBallot(ballot(a.ballot()));
            a.value().forEach(v -> ab.addValue(peer(v)));
            b.setAccept(ab);
        } else if (m instanceof Message.Accepted a) {
            b.setAccepted(AcceptedMsg.newBuilder().setBallot(ballot(a.ballot())));
        } else if (m instanceof Message.Nack n) {
            NackMsg.Builder nb = NackMsg.newBuilder().setBallot(ballot(n.ballot()));
            if (n.promised() != null) {
                nb.setPromised(ballot(n.promised()));
            }
            b.setNack(nb);
        } else if (m instanceof Message.HandOver h) {
            HandOverMsg.Builder hb = HandOverMsg.newBuilder();
            h.holds().forEach(x -> hb.addHolds(hold(x)));
            h.awaited().forEach(p -> hb.addAwaited(peer(p)));
            h.yielded().forEach(y -> hb.addYielded(YieldMsg.newBuilder().setToken(y.token()).setVersion(y.version())));
            b.setHandOver(hb);
        } else if (m instanceof Message.GapQuery q) {
            b.setGapQuery(GapQueryMsg.newBuilder().setNonce(q.nonce()).setStart(q.range().start()).setEnd(q.range().end()));
        } else if (m instanceof Message.SegmentDigests d) {
            b.setSegmentDigests(SegmentDigestsMsg.newBuilder().setCluster(cluster(d.cluster()))
                    .setRingDigest(d.ringDigest()).addAllUnder(d.under()).addAllDigests(d.digests()));
        } else if (m instanceof Message.SegmentEntries e) {
            b.setSegmentEntries(SegmentEntriesMsg.newBuilder().setPiece(piece(e.piece()).toByteString()).setSenderDigest(e.senderDigest())
                    .addAllLeaves(e.leaves()).setReplyIfBehind(e.replyIfBehind()));
        } else if (m instanceof Message.GapAnswer a) {
            b.setGapAnswer(GapAnswerMsg.newBuilder().setNonce(a.nonce()).setOwnsNothing(a.ownsNothing()));
        } else {
            // Only a new message kind the codec was not taught reaches here: fail loudly, never send nothing.
            throw new IllegalArgumentException("no wire form for core message " + m.getClass().getSimpleName());
        }
        return b.build();
    }

    /**
     * What {@code m} becomes on a link that speaks the previous protocol version ({@link Protocol#CURRENT} - 1):
     * itself when that version has it; top segment digests become a plain digest, which an older peer answers
     * with its whole ring (its own anti-entropy); null for the rest of a segment exchange, which is only ever
     * sent in answer to a peer that started one, so an older peer never asks for it.
     */
    public static Message forPrevious(Message m) {
        if (m instanceof Message.SegmentDigests d) {
            return d.top() ? new Message.Digest(d.cluster(), d.ringDigest()) : null;
        }
        return m instanceof Message.SegmentEntries ? null : m;
    }

    /** A short name per message kind, for counters ({@code bytes.out.gossip}). */
    public static String kind(CoreMessage m) {
        // The proto's own field name, so counters and the schema use one vocabulary.
        return m.getKindCase().name().toLowerCase(java.util.Locale.ROOT);
    }

    public static RingPieceMsg piece(RingPiece p) {
        RingPieceMsg.Builder b = RingPieceMsg.newBuilder().setCluster(p.cluster().value())
                .setUniverseStart(p.universe().start()).setUniverseEnd(p.universe().end()).setComplete(p.complete());
        List<Entry> entries = p.entries();
        boolean conflicts = false;
        boolean takeovers = false;
        for (Entry e : entries) {
            conflicts |= e.conflicted();
            for (Claim c : e.claims()) {
                takeovers |= c.takeover();
            }
        }
        Map<PeerId, Integer> index = new HashMap<>();
        long previous = p.universe().start();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            long next = i + 1 < entries.size() ? entries.get(i + 1).token() : -1;
            b.addTokenGaps(e.token() - previous).addVersions(e.version());
            previous = e.token();
            List<Claim> claims = e.claims();
            if (conflicts) {
                b.addClaimCounts(claims.size());
            }
            for (Claim c : claims) {
                Integer at = index.get(c.owner());
                if (at == null) {
                    at = index.size();
                    index.put(c.owner(), at);
                    b.addPeers(peer(c.owner()));
                }
                b.addOwners(at).addFrees(c.free()).addEnds(c.end() == next ? 0 : c.end());
                if (takeovers) {
                    b.addTakeovers(c.takeover());
                }
            }
        }
        for (PeerId t : p.tombstones()) {
            b.addTombstones(peer(t));
        }
        return b.build();
    }

    /** Every part of the attachment travels, the network included: it is part of who holds the address. */
    public static HoldMsg hold(Hold h) {
        Attachment a = h.attachment();
        return HoldMsg.newBuilder().setContainerId(a.containerId()).setIfname(a.ifname()).setNetwork(a.network())
                .setAddress(h.address()).build();
    }

    public static PeerRef peer(PeerId p) {
        return PeerRef.newBuilder().setName(p.name()).setUid(p.uid()).build();
    }

    /** The core's "no cluster yet" (null) travels as the empty string. */
    public static String cluster(ClusterId c) {
        return c == null ? "" : c.value();
    }

    private static BallotMsg ballot(Ballot b) {
        return BallotMsg.newBuilder().setRound(b.round()).setProposer(peer(b.proposer())).build();
    }
}
