package dev.weft.gossip.link;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.gossip.HostPort;
import dev.weft.gossip.member.Directory;
import dev.weft.gossip.wire.BadFrameException;
import dev.weft.gossip.wire.MessageDecoder;
import dev.weft.gossip.wire.MessageEncoder;
import dev.weft.gossip.wire.Protocol;
import dev.weft.gossip.wire.Reject;
import dev.weft.gossip.wire.proto.Address;
import dev.weft.gossip.wire.proto.Hello;
import dev.weft.gossip.wire.proto.KnownPeer;
import dev.weft.gossip.wire.proto.KnownPeers;
import java.util.ArrayList;
import java.util.List;

/** The hello both sides send first, and the checks a received one must pass before the link is up. */
public final class Handshake {
    private Handshake() {}

    /** Who the other side is, once its hello passed. */
    public record Greeting(PeerId peer, HostPort listen, int protocol, List<Directory.Known> known) {}

    public static Hello hello(int protocol, PeerId self, ClusterId cluster, HostPort listen, KnownPeers known) {
        return Hello.newBuilder().setProtocol(protocol).setCluster(MessageEncoder.cluster(cluster))
                .setSelf(MessageEncoder.peer(self)).setListen(address(listen)).addAllKnown(known.getPeersList()).build();
    }

    /**
     * Checks a hello against this peer: version window, identity shape, cluster, and (on TLS links) that the
     * name it claims is the name its certificate was issued to.
     */
    public static Greeting check(Hello h, int ours, PeerId self, ClusterId cluster, String certifiedName)
            throws BadFrameException {
        String versionProblem = Protocol.refusal(ours, h.getProtocol());
        if (versionProblem != null) {
            throw new BadFrameException(Reject.WRONG_VERSION, versionProblem);
        }
        if (!h.hasSelf() || !h.hasListen()) {
            throw new BadFrameException(Reject.MALFORMED, "a hello without the peer's identity or address");
        }
        PeerId peer;
        HostPort listen;
        ClusterId theirs;
        try {
            peer = MessageDecoder.peer(h.getSelf());
            listen = hostPort(h.getListen());
            theirs = MessageDecoder.clusterOrNull(h.getCluster());
        } catch (IllegalArgumentException e) {
            throw new BadFrameException(Reject.BAD_SHAPE, "a hello that does not check out: " + e.getMessage(), e);
        }
        if (peer.equals(self)) {
            throw new BadFrameException(Reject.OUT_OF_ORDER, "this is a link to ourselves (" + self
                    + "): a seed address that points back at this peer");
        }
        if (cluster != null && theirs != null && !cluster.equals(theirs)) {
            throw new BadFrameException(Reject.WRONG_CLUSTER, "peer " + peer + " at " + listen + " belongs to cluster "
                    + theirs + " and this peer to " + cluster + ": they were bootstrapped separately; point the peer"
                    + " at this cluster's seeds after wiping its data folder, or fix the seed list");
        }
        if (certifiedName != null && !certifiedName.equals(peer.name())) {
            throw new BadFrameException(Reject.UNAUTHENTICATED, "peer says it is '" + peer.name()
                    + "' but its certificate was issued to '" + certifiedName + "'");
        }
        return new Greeting(peer, listen, Protocol.agreed(ours, h.getProtocol()), known(h.getKnownList()));
    }

    /** The valid entries of a known-peers list; a bad entry is skipped, not fatal: the rest is still news. */
    public static List<Directory.Known> known(List<KnownPeer> list) {
        List<Directory.Known> out = new ArrayList<>(list.size());
        for (KnownPeer k : list) {
            if (!k.hasPeer() || !k.hasAddress()) {
                continue;
            }
            try {
                out.add(new Directory.Known(MessageDecoder.peer(k.getPeer()), hostPort(k.getAddress()), k.getLastHeardMillis()));
            } catch (IllegalArgumentException e) {
                // Skipped: one bad entry from a peer says nothing about the others.
            }
        }
        return out;
    }

    public static KnownPeers knownPeers(PeerId self, HostPort selfAddress, long now, List<Directory.Known> known) {
        KnownPeers.Builder b = KnownPeers.newBuilder();
        b.addPeers(KnownPeer.newBuilder().setPeer(MessageEncoder.peer(self)).setAddress(address(selfAddress))
                .setLastHeardMillis(now));
        for (Directory.Known k : known) {
            if (k.address() != null) {
                b.addPeers(KnownPeer.newBuilder().setPeer(MessageEncoder.peer(k.peer())).setAddress(address(k.address()))
                        .setLastHeardMillis(k.lastHeard()));
            }
        }
        return b.build();
    }

    static Address address(HostPort hp) {
        return Address.newBuilder().setHost(hp.host()).setPort(hp.port()).build();
    }

    static HostPort hostPort(Address a) {
        if (a.getPort() == 0) {
            throw new IllegalArgumentException("address " + a.getHost() + " has no port");
        }
        return new HostPort(a.getHost(), a.getPort());
    }
}
