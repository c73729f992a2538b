package dev.weft.daemon.route;

import java.util.Locale;

/** Why a range another peer owns gets no route; each is counted per ring entry in {@code weft_routes_unroutable}. */
enum Unroutable {
    /** No hello or known-peers list has told this peer where the owner is yet (it is usually soon learned). */
    NO_ADDRESS,
    /** The owner is known by a host name or an IPv6 address; a route needs its node's IPv4 address (--advertise). */
    NOT_IPV4,
    /** Two installs claim the range at one version: an operator must settle it before anyone routes there. */
    CONFLICTED,
    /** The owner was removed (tombstoned): its pods are gone, nobody answers there. */
    REMOVED;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
