package dev.weft.daemon.kube;

import java.time.Duration;

/**
 * How weftd runs as a Kubernetes DaemonSet pod ({@code --kubernetes}); see {@link KubeSettingsParser}.
 *
 * @param nodeName this node's name (spec.nodeName through the downward API); also the peer name
 * @param namespace where the founding ConfigMap and the reclaim Lease live
 * @param foundingConfigMap the create-only record of who founded the cluster
 * @param reclaimLease the Lease whose holder removes the peers of deleted Node objects
 * @param podGrace how long a hold's pod must have been gone, continuously, before its address is released
 */
public record KubeSettings(String nodeName, String namespace, String foundingConfigMap, String reclaimLease,
        Duration podGrace) {

    public static final String DEFAULT_NAMESPACE = "kube-system";
    public static final String DEFAULT_FOUNDING_CONFIGMAP = "weft-founding";
    public static final String DEFAULT_RECLAIM_LEASE = "weft-reclaim";
    public static final Duration DEFAULT_POD_GRACE = Duration.ofSeconds(120);
}
