package dev.weft.gossip.wire;

/**
 * The wire protocol's version window. A peer speaks its own version and the one before it, so a rolling
 * upgrade (some peers one version ahead) never splits the cluster; anything further apart is refused with
 * a message that says which side to upgrade.
 */
public final class Protocol {
    /** This build's version. Raise it when a change would be misread by peers that ignore unknown fields. */
    public static final int CURRENT = 1;

    private Protocol() {}

    /** Null when a peer speaking {@code theirs} may link with one speaking {@code ours}; else why not. */
    public static String refusal(int ours, int theirs) {
        if (theirs == ours || theirs == ours - 1 && theirs >= 1) {
            return null;
        }
        String speaks = "peer speaks wire protocol " + theirs + " but this peer speaks " + ours
                + (ours > 1 ? " and " + (ours - 1) : " only");
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
