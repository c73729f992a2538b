package dev.weft.daemon.kube;

import dev.weft.core.address.IPv4;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What reconciliation needs to know of one pod of this node, read from its Pod object.
 *
 * @param uid the Pod object's uid
 * @param mirror a static pod's mirror: its uid is not the one the kubelet gave the runtime (and CNI), so
 *               its holds are matched by namespace and name alone
 * @param terminated phase Succeeded or Failed: its sandbox is gone or going, its address no longer used
 * @param running phase Running
 * @param deleting being deleted (deletionTimestamp set): still present, but its address is not claimed
 * @param ipv4 its IPv4 pod addresses (status.podIPs, or status.podIP)
 */
public record PodState(String namespace, String name, String uid, boolean mirror, boolean hostNetwork,
        boolean terminated, boolean running, boolean deleting, List<Long> ipv4) {

    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    public PodState {
        ipv4 = List.copyOf(ipv4);
    }

    /** Null for an object too incomplete to match anything (no metadata, name or uid). */
    public static PodState of(Pod p) {
        if (p.getMetadata() == null || p.getMetadata().getName() == null || p.getMetadata().getUid() == null) {
            return null;
        }
        var meta = p.getMetadata();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        boolean hostNetwork = p.getSpec() != null && Boolean.TRUE.equals(p.getSpec().getHostNetwork());
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        List<Long> ips = new ArrayList<>();
        if (p.getStatus() != null) {
            if (p.getStatus().getPodIPs() != null) {
                for (PodIP ip : p.getStatus().getPodIPs()) {
                    add(ips, ip.getIp());
                }
            }
            add(ips, p.getStatus().getPodIP());
        }
        return new PodState(meta.getNamespace() == null ? "default" : meta.getNamespace(), meta.getName(),
                meta.getUid(), annotations.containsKey(MIRROR_ANNOTATION), hostNetwork,
                "Succeeded".equals(phase) || "Failed".equals(phase), "Running".equals(phase),
                meta.getDeletionTimestamp() != null, ips);
    }

    private static void add(List<Long> ips, String text) {
        if (text == null || text.isBlank() || text.contains(":")) {
            return; // none, or IPv6: weft's space is IPv4
        }
        try {
            long a = IPv4.parse(text.trim());
            if (!ips.contains(a)) {
                ips.add(a);
            }
        } catch (RuntimeException e) {
            // not an address: the API server's data is checked like any input, and this one is ignored
        }
    }
}
