package dev.weft.daemon.cni;

/**
 * What the CNI endpoint remembers about one attachment beside the core's hold: which pod it is (from
 * {@code CNI_ARGS}, so the CLI can show who holds an address) and when it was last ADDed, in nanoseconds
 * since the epoch. The time decides whether a spooled DEL or a GC may still free it.
 *
 * @param podNamespace {@code K8S_POD_NAMESPACE}, or null
 * @param podName {@code K8S_POD_NAME}, or null
 * @param podUid {@code K8S_POD_UID}, or null (older notes, runtimes that do not pass it): tells a pod from a
 *               later one of the same name, for the reconciliation with the node's pods
 */
public record Note(String network, String containerId, String ifname, String podNamespace, String podName,
        String podUid, long addedAt) {

    public Note {
        if (network == null || containerId == null || ifname == null) {
            throw new IllegalArgumentException("a note names the network, container id and interface");
        }
    }

    /** Without the pod's uid. */
    public Note(String network, String containerId, String ifname, String podNamespace, String podName,
            long addedAt) {
        this(network, containerId, ifname, podNamespace, podName, null, addedAt);
    }

    /** One string per attachment; '\n' appears in none of the three parts (all are checked first). */
    public String key() {
        return key(network, containerId, ifname);
    }

    public static String key(String network, String containerId, String ifname) {
        return network + "\n" + containerId + "\n" + ifname;
    }
}
