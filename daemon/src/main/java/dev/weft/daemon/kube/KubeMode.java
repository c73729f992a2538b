package dev.weft.daemon.kube;

import dev.weft.daemon.config.Settings;
import dev.weft.gossip.HostPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * weftd's Kubernetes side, started around the core: the founding decision before the core is built, the
 * other nodes as peers before the transport opens, then pod reconciliation and the reclaim coordinator
 * once the core runs. Closing stops them and closes the client.
 */
public final class KubeMode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeMode.class);

    private final KubeSettings settings;
    private final KubernetesClient client;
    private final List<AutoCloseable> running = new ArrayList<>();

    public KubeMode(KubeSettings settings, KubernetesClient client) {
        this.settings = settings;
        this.client = client;
    }

    public KubeSettings settings() {
        return settings;
    }

    public KubernetesClient client() {
        return client;
    }

    public Founding founding() {
        return new Founding(client, settings);
    }

    /**
     * {@code s} with the other nodes as peers (unless {@code --peers} named them) and this node's InternalIP
     * as the advertised address (unless {@code --advertise} gave one and weftd listens on every interface).
     * When the nodes cannot be listed, weftd starts without seeds: the other nodes' daemons dial it.
     */
    public Settings withNodePeers(Settings s) {
        boolean needPeers = s.peers().isEmpty();
        boolean needAdvertise = s.advertise() == null && isWildcard(s.listen().host());
        if (!needPeers && !needAdvertise) {
            return s;
        }
        int port = s.advertise() != null ? s.advertise().port() : s.listen().port();
        List<Node> nodes;
        try {
            nodes = client.nodes().list().getItems();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot list the nodes ({}): starting without seeds; the other nodes' daemons dial this one",
                    e.getMessage());
            return s;
        }
        List<HostPort> peers = needPeers ? NodePeers.others(nodes, settings.nodeName(), port) : s.peers();
        HostPort advertise = s.advertise();
        if (needAdvertise) {
            advertise = NodePeers.own(nodes, settings.nodeName(), port);
            if (advertise == null) {
                LOG.warn("node {} has no InternalIP in its Node object: other peers learn this one's address only"
                        + " when it dials them; set --advertise (WEFT_ADVERTISE) to the node IP (status.hostIP)",
                        settings.nodeName());
            }
        }
        LOG.info("{} other node(s) as peers: {}; advertised as {}", peers.size(), peers, advertise);
        return s.withPeers(peers, advertise);
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /** Something started for Kubernetes mode, stopped (in reverse) on {@link #close}. */
    void started(AutoCloseable part) {
        running.add(part);
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", running.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        running.clear();
        client.close();
    }
}
