package dev.weft.daemon.kube;

import dev.weft.core.space.Attachment;

/**
 * One address this node holds, with the pod the CNI ADD named (from the attachment's note), for
 * reconciliation. Gateway holds and holds kept for another node's pods are never given to it.
 *
 * @param podNamespace {@code K8S_POD_NAMESPACE} of the ADD, or null when unknown
 * @param podName {@code K8S_POD_NAME} of the ADD, or null when unknown
 * @param podUid {@code K8S_POD_UID} of the ADD, or null when unknown
 */
public record HoldState(Attachment attachment, long address, String podNamespace, String podName, String podUid) {

    /** The container id prefix of weft's own claims for pods it found running with an unheld address. */
    public static final String CLAIM_PREFIX = "k8s:";

    /** The attachment under which weft claims {@code address} for the pod {@code uid}; ':' is in no CNI id. */
    public static Attachment claimOf(String uid, String addressText) {
        return new Attachment(CLAIM_PREFIX + uid, addressText);
    }

    /** The pod uid of one of weft's own claims, or null for any other hold. */
    public String claimedFor() {
        String id = attachment.containerId();
        return id.startsWith(CLAIM_PREFIX) ? id.substring(CLAIM_PREFIX.length()) : null;
    }

    /** Whether the ADD named its pod, so the pod can be looked for. */
    public boolean knowsPod() {
        return podName != null && !podName.isEmpty();
    }
}
