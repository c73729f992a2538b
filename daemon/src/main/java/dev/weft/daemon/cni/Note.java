package dev.weft.daemon.cni;

/**
 * What the CNI endpoint remembers about one attachment beside the core's hold: which pod it is (from
 * {@code CNI_ARGS}, so the CLI can show who holds an address) and when it was last ADDed, in nanoseconds
 * since the epoch. The time decides whether a spooled DEL or a GC may still free it.
 *
 * @param podNamespace {@code K8S_POD_NAMESPACE}, or null
 * @param podName {@code K8S_POD_NAME}, or null
 */
public record Note(String network, String containerId, String ifname, String podNamespace, String podName,
        long addedAt) {

    public Note {
        if (network == null || containerId == null || ifname == null) {
            throw new IllegalArgumentException("a note names the network, container id and interface");
        }
    }

    /** One string per attachment; '\n' appears in none of the three parts (all are checked first). */
    public String key() {
        return key(network, containerId, ifname);
    }

    public static String key(String network, String containerId, String ifname) {
        return network + "\n" + containerId + "\n" + ifname;
    }
}
