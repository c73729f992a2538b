package dev.weft.daemon.kube;

import dev.weft.daemon.config.ConfigException;
import dev.weft.daemon.config.TimeText;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Turns the Kubernetes-mode flags (and the environment the DaemonSet gives the pod) into
 * {@link KubeSettings}, saying for a bad value which flag it was and what to write instead.
 */
public final class KubeSettingsParser {
    /** RFC 1123 names, as Kubernetes requires of ConfigMaps, Leases and namespaces. */
    private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** Shorter than a kubelet's pod start and the plugin's DEL retry: a hold could be freed under a live pod. */
    static final Duration MIN_POD_GRACE = Duration.ofSeconds(10);

    /**
     * The raw values; null or blank means "not given".
     *
     * @param kubernetes {@code --kubernetes} (WEFT_KUBERNETES)
     * @param nodeNameEnv the environment's NODE_NAME (the downward API's spec.nodeName)
     * @param namespace {@code --kube-namespace} (WEFT_KUBE_NAMESPACE)
     * @param podNamespaceEnv the environment's POD_NAMESPACE (the downward API's metadata.namespace)
     */
    public record Raw(boolean kubernetes, String nodeNameEnv, String namespace, String podNamespaceEnv,
            String foundingConfigMap, String reclaimLease, String podGrace) {

        /** Kubernetes mode off. */
        public static Raw off() {
            return new Raw(false, null, null, null, null, null, null);
        }
    }

    private KubeSettingsParser() {}

    /**
     * @param name {@code --name} (WEFT_NAME), which wins over NODE_NAME
     * @param bootstrap {@code --bootstrap} (WEFT_BOOTSTRAP): must not be given in Kubernetes mode
     * @return the settings, or null when Kubernetes mode is off
     */
    public static KubeSettings parse(Raw raw, String name, String bootstrap) throws ConfigException {
        if (!raw.kubernetes()) {
            for (String[] flag : new String[][] {{"--kube-namespace", raw.namespace()},
                    {"--founding-configmap", raw.foundingConfigMap()}, {"--reclaim-lease", raw.reclaimLease()},
                    {"--pod-grace (WEFT_POD_GRACE)", raw.podGrace()}}) {
                if (given(flag[1])) {
                    throw new ConfigException(flag[0] + " is a Kubernetes-mode setting: add --kubernetes"
                            + " (WEFT_KUBERNETES=true), or leave it out");
                }
            }
            return null;
        }
        String node = given(name) ? name.trim() : given(raw.nodeNameEnv()) ? raw.nodeNameEnv().trim() : null;
        if (node == null) {
            throw new ConfigException("--kubernetes needs this node's name: set the environment variable NODE_NAME from"
                    + " the pod's spec.nodeName (env: - name: NODE_NAME, valueFrom: fieldRef: fieldPath: spec.nodeName),"
                    + " or give --name (WEFT_NAME)");
        }
        if (given(bootstrap)) {
            throw new ConfigException("--bootstrap (WEFT_BOOTSTRAP) cannot be given with --kubernetes: in Kubernetes"
                    + " mode the first daemon to create the founding ConfigMap founds the cluster and every other one"
                    + " joins it. Remove --bootstrap");
        }
        String namespace = given(raw.namespace()) ? raw.namespace().trim()
                : given(raw.podNamespaceEnv()) ? raw.podNamespaceEnv().trim() : KubeSettings.DEFAULT_NAMESPACE;
        check("--kube-namespace (WEFT_KUBE_NAMESPACE)", namespace, NAMESPACE, 63);
        String configMap = given(raw.foundingConfigMap()) ? raw.foundingConfigMap().trim()
                : KubeSettings.DEFAULT_FOUNDING_CONFIGMAP;
        check("--founding-configmap", configMap, OBJECT_NAME, 253);
        String lease = given(raw.reclaimLease()) ? raw.reclaimLease().trim() : KubeSettings.DEFAULT_RECLAIM_LEASE;
        check("--reclaim-lease", lease, OBJECT_NAME, 253);
        Duration grace = given(raw.podGrace()) ? grace(raw.podGrace()) : KubeSettings.DEFAULT_POD_GRACE;
        return new KubeSettings(node, namespace, configMap, lease, grace);
    }

    private static void check(String flag, String value, Pattern p, int max) throws ConfigException {
        if (value.length() > max || !p.matcher(value).matches()) {
            throw new ConfigException(flag + " '" + value + "' is not a Kubernetes name: lower-case letters, digits"
                    + " and '-', at most " + max + " characters, starting and ending with a letter or digit");
        }
    }

    static Duration grace(String text) throws ConfigException {
        Duration d = TimeText.parse("--pod-grace (WEFT_POD_GRACE)", text, "120s, 5m or 1h (default 120s)");
        if (d.compareTo(MIN_POD_GRACE) < 0) {
            throw new ConfigException("--pod-grace (WEFT_POD_GRACE) " + text + " is too short: a pod that is starting"
                    + " or whose DEL is being retried could lose its address. Give " + MIN_POD_GRACE.toSeconds()
                    + "s or more (default 120s)");
        }
        return d;
    }

    private static boolean given(String s) {
        return s != null && !s.isBlank();
    }
}
