package dev.weft.gossip.link;

import dev.weft.core.peer.PeerId;
import dev.weft.gossip.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The open links of one transport: all of them, those still dialling by address, and the established ones
 * by peer, with the pool's questions (which to use, which to evict, which are idle). Loop thread only.
 */
public final class Links {
    private final Set<Link> all = new LinkedHashSet<>();
    private final Map<HostPort, Link> dialling = new HashMap<>();
    private final Map<PeerId, List<Link>> byPeer = new HashMap<>();

    public void opened(Link link) {
        all.add(link);
        if (link.dialled != null) {
            dialling.put(link.dialled, link);
        }
    }

    public boolean contains(Link link) {
        return all.contains(link);
    }

    public boolean dialling(HostPort address) {
        return dialling.containsKey(address);
    }

    /** {@code link}'s hello passed: it now carries messages for its peer. */
    public void established(Link link) {
        if (link.dialled != null) {
            dialling.remove(link.dialled, link);
        }
        byPeer.computeIfAbsent(link.peer(), k -> new ArrayList<>()).add(link);
    }

    public void remove(Link link) {
        all.remove(link);
        if (link.dialled != null) {
            dialling.remove(link.dialled, link);
        }
        if (link.peer() != null) {
            List<Link> ls = byPeer.get(link.peer());
            if (ls != null) {
                ls.remove(link);
                if (ls.isEmpty()) {
                    byPeer.remove(link.peer());
                }
            }
        }
    }

    /** The most recently used established link to {@code peer}, or null. */
    public Link best(PeerId peer) {
        List<Link> ls = byPeer.get(peer);
        Link best = null;
        if (ls != null) {
            for (Link l : ls) {
                if (l.established() && (best == null || l.lastActivity() > best.lastActivity())) {
                    best = l;
                }
            }
        }
        return best;
    }

    public List<Link> established() {
        List<Link> out = new ArrayList<>();
        for (Link l : all) {
            if (l.established()) {
                out.add(l);
            }
        }
        return out;
    }

    /** The established link unused for longest, other than {@code keep}; null if none. */
    public Link leastRecentlyUsed(Link keep) {
        Link oldest = null;
        for (Link l : all) {
            if (l != keep && l.established() && (oldest == null || l.lastActivity() < oldest.lastActivity())) {
                oldest = l;
            }
        }
        return oldest;
    }

    /**
     * Established links unused since {@code cutoff}, and accepted links whose caller has not said hello since
     * then (a member of the cluster that opens streams and stays silent must not pile them up). A dial still in
     * progress is left to gRPC's connect timeout, which fails it and so reports the peer down.
     */
    public List<Link> idleSince(long cutoff) {
        List<Link> out = new ArrayList<>();
        for (Link l : all) {
            if ((l.established() || l.side == Link.Side.ACCEPTED && !l.closed()) && l.lastActivity() < cutoff) {
                out.add(l);
            }
        }
        return out;
    }

    /** Forgets every link and returns them, for shutdown. */
    public List<Link> clear() {
        List<Link> out = new ArrayList<>(all);
        all.clear();
        dialling.clear();
        byPeer.clear();
        return out;
    }
}
