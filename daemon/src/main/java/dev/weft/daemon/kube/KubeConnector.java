package dev.weft.daemon.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Makes the API server client of Kubernetes mode (tests hand in one for a mock server). */
@FunctionalInterface
public interface KubeConnector {
    KubernetesClient connect();

    /**
     * The pod's own ServiceAccount (its token and CA under /var/run/secrets/kubernetes.io/serviceaccount,
     * the server from KUBERNETES_SERVICE_HOST), or a kubeconfig when run outside a cluster.
     */
    static KubeConnector standard() {
        return () -> new KubernetesClientBuilder().build();
    }
}
