package dev.weft.daemon.route;

import dev.weft.core.address.Cidr;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The kernel's main routing table as weft may see and change it: its own routes only. */
interface RouteTable {

    /**
     * @param weft    weft's routes (those with its protocol number): destination to gateway
     * @param foreign destinations of routes weft did not make that a {@code replace} of the same destination
     *                would overwrite (metric 0): weft must leave those alone
     */
    record Listing(Map<Cidr, Long> weft, Set<Cidr> foreign) {
        public Listing {
            weft = Map.copyOf(weft);
            foreign = Set.copyOf(foreign);
        }
    }

    Listing list() throws IOException;

    /**
     * Installs or re-points {@code replace}, then deletes {@code delete} (weft's own only): new routes first, so
     * a range that moved is never without one. One failing route does not stop the others; the caller lists
     * again to learn what took.
     *
     * @return what the kernel said about routes that failed, one line each; empty when all took
     */
    List<String> apply(List<HostRoute> replace, List<Cidr> delete) throws IOException;
}
