package dev.weft.daemon.kube;

import dev.weft.gossip.HostPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the Node objects after start and hands the transport each other node's address the first time it
 * is seen ({@code InternalIP} at the peer port): a node that joins later, or one whose address was missing
 * at start, is dialled like a seed. Only ever adds: the Node objects say where a daemon may be, not who is
 * alive, and a deleted node is the reclaim coordinator's business.
 */
final class NodeSeeds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeSeeds.class);
    /** How often the informer lists again in full, beside its watch. */
    private static final long RESYNC_MILLIS = 300_000;

    private final String self;
    private final int port;
    private final Consumer<HostPort> seed;
    private final Set<HostPort> known = ConcurrentHashMap.newKeySet();
    private SharedIndexInformer<Node> informer;

    /** @param already the seeds the transport started with */
    NodeSeeds(String self, int port, List<HostPort> already, Consumer<HostPort> seed) {
        this.self = self;
        this.port = port;
        this.seed = seed;
        known.addAll(already);
    }

    void start(KubernetesClient client) {
        try {
            informer = client.nodes().inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Node node) {
                    seen(node);
                }

                @Override
                public void onUpdate(Node old, Node node) {
                    seen(node);
                }

                @Override
                public void onDelete(Node node, boolean finalStateUnknown) {
                    // Nothing: a deleted node's peer leaves the ring only through the reclaim coordinator.
                }
            }, RESYNC_MILLIS);
        } catch (KubernetesClientException e) {
            LOG.warn("cannot follow the nodes ({}): nodes added later are found when their daemons dial this one",
                    e.getMessage());
        }
    }

    /** Hands a newly seen node's address to the transport; visible to tests. */
    void seen(Node node) {
        for (HostPort p : NodePeers.others(List.of(node), self, port)) {
            if (known.add(p)) {
                LOG.info("node {} at {}: dialling its weftd", node.getMetadata().getName(), p);
                seed.accept(p);
            }
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
