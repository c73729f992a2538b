package dev.weft.daemon.kube;

import dev.weft.gossip.HostPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the other nodes' daemons listen, from the Node objects: each node's InternalIP at the peer port
 * (every weftd of the DaemonSet listens on the same port, on the host network). Only the seeds to dial at
 * start: once linked, peers learn every other peer's address from each other's gossip.
 */
public final class NodePeers {
    private NodePeers() {}

    /** The InternalIP of {@code node}, or null when it has none yet (a node still registering). */
    public static String internalIp(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return null;
        }
        for (NodeAddress a : node.getStatus().getAddresses()) {
            if ("InternalIP".equals(a.getType()) && a.getAddress() != null && !a.getAddress().isBlank()) {
                return a.getAddress().trim();
            }
        }
        return null;
    }

    /** The other nodes' daemons, in the order listed; nodes without an InternalIP are left out. */
    public static List<HostPort> others(List<Node> nodes, String self, int port) {
        List<HostPort> out = new ArrayList<>();
        for (Node n : nodes) {
            String ip = internalIp(n);
            if (ip != null && n.getMetadata() != null && !self.equals(n.getMetadata().getName())) {
                HostPort p = hostPort(ip, port);
                if (p != null) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** This node's own address for other peers to dial, or null when its Node object has no InternalIP. */
    public static HostPort own(List<Node> nodes, String self, int port) {
        for (Node n : nodes) {
            if (n.getMetadata() != null && self.equals(n.getMetadata().getName())) {
                String ip = internalIp(n);
                return ip == null ? null : hostPort(ip, port);
            }
        }
        return null;
    }

    /** Null for an address no peer could dial (the API server's data is checked like any input). */
    private static HostPort hostPort(String ip, int port) {
        try {
            return new HostPort(ip, port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
