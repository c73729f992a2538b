package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.Hold;
import java.util.List;

/** The attachments and addresses a release or GC freed, as a listing. */
final class HoldListing {
    private HoldListing() {}

    static Listing of(List<Hold> holds) {
        Listing l = new Listing().column("container", "CONTAINER").column("ifname", "IFNAME")
                .column("network", "NETWORK").column("address", "FREED");
        for (Hold h : holds) {
            l.row(h.getAttachment().getContainerId(), h.getAttachment().getIfname(),
                    NetworkOption.shown(h.getAttachment().getNetwork()), h.getAddress());
        }
        return l;
    }
}
