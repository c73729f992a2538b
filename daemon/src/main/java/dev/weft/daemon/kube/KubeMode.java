package dev.weft.daemon.kube;

import dev.weft.core.address.Cidr;
import dev.weft.core.peer.PeerId;
import dev.weft.core.space.Attachment;
import dev.weft.daemon.cni.Note;
import dev.weft.daemon.config.Settings;
import dev.weft.daemon.loop.CoreGateway;
import dev.weft.gossip.HostPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
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
        int port = peerPort(s);
        List<Node> nodes = listNodes();
        if (nodes == null) {
            LOG.warn("cannot list the nodes: starting without seeds; nodes are dialled as soon as they can be"
                    + " listed, and the other nodes' daemons dial this one when they see its Node object");
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
        LOG.info("{} other node(s) as peers: {}; other peers dial this one at {}", peers.size(), peers,
                advertise != null ? advertise : s.listen());
        return s.withPeers(peers, advertise);
    }

    /** The Node objects, asking up to three times a second apart; null when the API server does not answer. */
    private List<Node> listNodes() {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.nodes().list().getItems();
            } catch (KubernetesClientException e) {
                LOG.warn("listing the nodes failed (attempt {} of 3): {}", attempt, e.getMessage());
                if (attempt == 3) {
                    return null;
                }
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** Every weftd of the DaemonSet listens on the same port: the one other nodes' daemons are dialled at. */
    private static int peerPort(Settings s) {
        return s.advertise() != null ? s.advertise().port() : s.listen().port();
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    /**
     * Starts reconciling this node's pods and running for the reclaim Lease, once the core and the
     * transport run.
     *
     * @param notes the CNI note (pod) of an attachment, empty when none
     * @param forget drops the note of an attachment released by reconciliation
     * @param lastHeard when each install was last heard from (the transport's gossip)
     * @param started the settings the transport started with (its seeds and port)
     * @param seed dials a node's daemon found after start
     * @return stops them all (before the core stops: the daemon closes it first)
     */
    public AutoCloseable startBackground(CoreGateway core, PeerId self, Cidr universe,
            Function<Attachment, Optional<Note>> notes, Consumer<Note> forget, Supplier<Map<PeerId, Long>> lastHeard,
            Settings started,
            Consumer<HostPort> seed) {
        NodeSeeds seeds = new NodeSeeds(settings.nodeName(), peerPort(started), started.peers(), seed);
        running.add(seeds);
        seeds.start(client);
        long grace = settings.podGrace().toMillis();
        PodReconciler pods = new PodReconciler(client, settings.nodeName(), core, universe, grace, notes, forget,
                () -> System.nanoTime() / 1_000_000);
        running.add(pods);
        // Two passes at least a grace apart release a hold: a pass every quarter grace, 5 to 30 s apart.
        pods.start(Math.max(5_000, Math.min(30_000, grace / 4)));
        ReclaimCoordinator reclaim = new ReclaimCoordinator(client, settings, self, core, lastHeard,
                System::currentTimeMillis, ReclaimCoordinator.LeaseTiming.standard(), started.removal().grace(),
                started.removal().grace().millis());
        running.add(reclaim);
        reclaim.start(30_000);
        return this::stopBackground;
    }

    @Override
    public void close() {
        stopBackground();
        client.close();
    }

    private synchronized void stopBackground() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", running.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        running.clear();
    }
}
