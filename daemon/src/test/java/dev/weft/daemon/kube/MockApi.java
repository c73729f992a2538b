package dev.weft.daemon.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's mock API server in CRUD mode on 127.0.0.1 (an ephemeral port): objects created through one
 * client are seen by every other, as with a real API server. Clients made here are closed with it.
 */
final class MockApi implements AutoCloseable {
    private final KubernetesMockServer server;
    private final List<KubernetesClient> clients = new ArrayList<>();
    private boolean stopped;

    /** The mock logs every request at INFO through java.util.logging: kept here so the level holds. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    MockApi() throws Exception {
        QUIET.setLevel(java.util.logging.Level.WARNING);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new NodeFieldDispatcher(), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
    }

    /** A new client; it does not retry a failed request (tests of an unreachable server stay short). */
    synchronized KubernetesClient client() {
        KubernetesClient c = server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0)
                .endConfig());
        clients.add(c);
        return c;
    }

    /** A Node object named {@code name} with {@code internalIp} (null: none). */
    static Node node(String name, String internalIp) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        if (internalIp != null) {
            b.withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress().endStatus();
        }
        return b.build();
    }

    /** A running pod on {@code node} with {@code ip} (null: none yet). */
    static Pod pod(String namespace, String name, String uid, String node, String ip) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withUid(uid)
                .endMetadata().withNewSpec().withNodeName(node).endSpec();
        if (ip != null) {
            b.editOrNewStatus().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP().endStatus();
        } else {
            b.editOrNewStatus().withPhase("Pending").endStatus();
        }
        return b.build();
    }

    /** The API server goes away; its clients stay open and their requests fail, as in an outage. */
    synchronized void stopServer() {
        if (!stopped) {
            stopped = true;
            server.destroy();
        }
    }

    @Override
    public synchronized void close() {
        for (KubernetesClient c : clients) {
            c.close();
        }
        stopServer();
    }
}
