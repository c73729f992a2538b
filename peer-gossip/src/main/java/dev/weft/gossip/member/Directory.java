package dev.weft.gossip.member;

import dev.weft.core.peer.PeerId;
import dev.weft.gossip.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who this peer knows of: each install's address and when anyone last heard from it (wall-clock millis).
 * Fed by hellos and known-peers lists; the lists are hostile input, so the book is bounded and an install
 * learned second-hand never displaces what was heard first-hand. Not thread-safe: the transport's loop
 * owns it.
 */
public final class Directory {
    /** Comfortably above the largest cluster weft is built for (Kubernetes' 5000 nodes). */
    public static final int MAX_PEERS = 20_000;

    public record Known(PeerId peer, HostPort address, long lastHeard) {}

    private final PeerId self;
    private final Map<PeerId, Known> peers = new HashMap<>();

    public Directory(PeerId self) {
        this.self = self;
    }

    /** What a peer said of itself in its hello, or that we just heard from it. */
    public void heardFrom(PeerId peer, HostPort address, long now) {
        if (peer.equals(self)) {
            return;
        }
        Known old = peers.get(peer);
        HostPort a = address != null ? address : old == null ? null : old.address();
        peers.put(peer, new Known(peer, a, Math.max(now, old == null ? 0 : old.lastHeard())));
    }

    /**
     * What another peer reports of a third: keeps the later last-heard time. Returns true when the install
     * was new to us (the transport then probes it).
     */
    public boolean learn(PeerId peer, HostPort address, long lastHeard) {
        if (peer.equals(self)) {
            return false;
        }
        Known old = peers.get(peer);
        if (old == null) {
            if (peers.size() >= MAX_PEERS || address == null) {
                return false;
            }
            peers.put(peer, new Known(peer, address, Math.max(0, lastHeard)));
            return true;
        }
        if (lastHeard > old.lastHeard()) {
            peers.put(peer, new Known(peer, old.address() != null ? old.address() : address, lastHeard));
        }
        return false;
    }

    public HostPort addressOf(PeerId peer) {
        Known k = peers.get(peer);
        return k == null ? null : k.address();
    }

    public boolean knows(PeerId peer) {
        return peers.containsKey(peer);
    }

    /** A newer install under the same name supersedes this one (its data folder was lost and remade). */
    public boolean superseded(PeerId peer) {
        Known k = peers.get(peer);
        if (k == null) {
            return false;
        }
        for (Known other : peers.values()) {
            if (!other.peer().equals(peer) && other.peer().name().equals(peer.name()) && other.lastHeard() > k.lastHeard()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Up to {@code k} entries for a known-peers list: half the most recently heard (news spreads first), half
     * drawn at random from the rest (so every entry keeps circulating). A whole list every few seconds would
     * cost each peer O(N) bytes per interval: 45 KB at 1000 peers.
     */
    public List<Known> sample(int k, java.util.random.RandomGenerator random) {
        List<Known> all = all();
        if (all.size() <= k) {
            return all;
        }
        all.sort((a, b) -> Long.compare(b.lastHeard(), a.lastHeard()));
        List<Known> out = new ArrayList<>(all.subList(0, k / 2));
        List<Known> rest = all.subList(k / 2, all.size());
        for (int i = 0; i < k - k / 2; i++) {
            int j = i + random.nextInt(rest.size() - i);
            java.util.Collections.swap(rest, i, j);
            out.add(rest.get(i));
        }
        return out;
    }

    public int size() {
        return peers.size();
    }

    public List<Known> all() {
        return new ArrayList<>(peers.values());
    }

    /** Every install with a known address. */
    public Map<PeerId, HostPort> addresses() {
        Map<PeerId, HostPort> out = new HashMap<>();
        peers.values().forEach(k -> {
            if (k.address() != null) {
                out.put(k.peer(), k.address());
            }
        });
        return out;
    }

    public Map<PeerId, Long> lastHeard() {
        Map<PeerId, Long> out = new HashMap<>();
        peers.values().forEach(k -> out.put(k.peer(), k.lastHeard()));
        return out;
    }
}
