package dev.weft.core.node;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;

/**
 * The knobs of one peer. Times are in milliseconds of whatever clock the driver feeds in.
 *
 * @param universe the address space every peer of the cluster shares
 * @param gossipInterval how often a peer sends its ring digest to a random peer
 * @param fanout how many random peers a ring change is pushed to (receivers that learn pass it on)
 * @param askTimeout how long to wait for one donor before asking the next
 * @param requestDeadline how long a request may wait for space or for the ring before "try again later"
 * @param freeReportInterval how often owned free counts are compared with those in the ring
 * @param freeReportQuiet how long a range's free count must stay unchanged before a small difference from the
 *     count in the ring is reported (a big one goes out at the next check, running dry or refilling at the next tick)
 * @param takeoverCooldown how long ranges taken from a removed peer rest before use
 * @param paxosRetry base delay before a proposer retries with a higher ballot
 * @param uniqueNames names are unique per node and pods outlive a lost data folder (Kubernetes): a new install
 *     under a removed install's name is then no proof that the removed install's pods are gone, so it does not
 *     end a rest on its own (only its hand-over on the predecessor's behalf does, see {@link Input.Succeed})
 */
public record CoreConfig(Cidr universe, Bootstrap bootstrap, long gossipInterval, int fanout, long askTimeout,
        long requestDeadline, long freeReportInterval, long freeReportQuiet, long takeoverCooldown,
        long paxosRetry, boolean uniqueNames) {

    public static final Cidr DEFAULT_UNIVERSE = Cidr.parse("10.32.0.0/12");

    public CoreConfig {
        if (universe == null || bootstrap == null) {
            throw new IllegalArgumentException("a peer needs a universe and a bootstrap mode");
        }
        if (universe.size() < 4) {
            throw new IllegalArgumentException("universe " + universe + " is too small: use a /30 or larger");
        }
        if (bootstrap instanceof Bootstrap.Seeds s && s.names().size() > universe.size()) {
            throw new IllegalArgumentException(s.names().size() + " seed peers cannot share the " + universe.size()
                    + " addresses of " + universe + ": name fewer seeds or use a larger space");
        }
        if (gossipInterval <= 0 || fanout <= 0 || askTimeout <= 0 || requestDeadline <= 0 || freeReportInterval <= 0
                || freeReportQuiet <= 0 || takeoverCooldown < 0 || paxosRetry <= 0) {
            throw new IllegalArgumentException("intervals, timeouts and fanout must be positive");
        }
    }

    /** Names not known to be unique per node (the default): see {@code uniqueNames}. */
    public CoreConfig(Cidr universe, Bootstrap bootstrap, long gossipInterval, int fanout, long askTimeout,
            long requestDeadline, long freeReportInterval, long freeReportQuiet, long takeoverCooldown,
            long paxosRetry) {
        this(universe, bootstrap, gossipInterval, fanout, askTimeout, requestDeadline, freeReportInterval,
                freeReportQuiet, takeoverCooldown, paxosRetry, false);
    }

    /** The same knobs, with names unique per node or not (the daemon sets it in Kubernetes mode). */
    public CoreConfig withUniqueNames(boolean unique) {
        return new CoreConfig(universe, bootstrap, gossipInterval, fanout, askTimeout, requestDeadline,
                freeReportInterval, freeReportQuiet, takeoverCooldown, paxosRetry, unique);
    }

    /** Production defaults. */
    public static CoreConfig defaults(Cidr universe, Bootstrap bootstrap) {
        return new CoreConfig(universe, bootstrap, 1_000, 3, 2_000, 10_000, 5_000, 60_000, 60_000, 1_000);
    }
}
