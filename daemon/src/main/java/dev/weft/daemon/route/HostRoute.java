package dev.weft.daemon.route;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;

/** One kernel route weft keeps: the pods in {@code destination} live on the node at {@code via}. */
record HostRoute(Cidr destination, long via) {

    @Override
    public String toString() {
        return destination + " via " + IPv4.format(via);
    }
}
