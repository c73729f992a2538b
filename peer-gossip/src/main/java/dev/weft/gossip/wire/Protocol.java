package dev.weft.gossip.wire;

/**
 * The wire protocol's version window. A peer speaks its own version and the one before it (never below {@link #OLDEST}), so a rolling
 * upgrade (some peers one version ahead) never splits the cluster; anything further apart is refused with
 * a message that says which side to upgrade.
 */
public final class Protocol {
    /**
     * This build's version. Raise it when a change would be misread by peers that ignore unknown fields.
     * 2: the core's {@code HandOver} (a removed install's pods' addresses, each with its CNI network).
     * 3: segment-wise anti-entropy ({@code SegmentDigests}, {@code SegmentEntries}). A link to a version-2 peer
     * carries top segment digests as a plain digest and never the rest (see {@link MessageEncoder#forPrevious}),
     * so a cluster mid-upgrade still converges: version-2 peers exchange whole rings, as they always did.
     */
    public static final int CURRENT = 3;

    /**
     * The oldest version spoken at all. Version 1 was never released, and its peers cannot take part in a
     * hand-over: one would take a removed install's ranges without keeping what its running pods hold, and
     * hand those addresses out again. So 1 is refused even though it is the one before {@link #CURRENT}.
     */
    public static final int OLDEST = 2;

    private Protocol() {}

    /** Null when a peer speaking {@code theirs} may link with one speaking {@code ours}; else why not. */
    public static String refusal(int ours, int theirs) {
        if (theirs == ours || theirs == ours - 1 && theirs >= OLDEST) {
            return null;
        }
        String speaks = "peer speaks wire protocol " + theirs + " but this peer speaks " + ours
                + (ours - 1 >= OLDEST ? " and " + (ours - 1) : " only");
        if (theirs > ours) {
            return speaks + ": upgrade this peer, or roll the cluster forward one version at a time";
        }
        return speaks + ": upgrade that peer first, one version at a time";
    }

    /** The version a link between the two speaks: the older one, since both understand it. */
    public static int agreed(int ours, int theirs) {
        return Math.min(ours, theirs);
    }
}
