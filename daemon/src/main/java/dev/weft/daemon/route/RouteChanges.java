package dev.weft.daemon.route;

import dev.weft.core.address.Cidr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What must change to turn the table as listed into the plan: routes to add or re-point, weft's routes to
 * delete, and planned routes that a route weft did not make stands in the way of. A weft route inside one of
 * the plan's {@link RoutePlan#unknown} ranges is neither kept on purpose nor deleted: it is left as it is.
 */
record RouteChanges(List<HostRoute> replace, List<Cidr> delete, List<HostRoute> blocked) {

    RouteChanges {
        replace = List.copyOf(replace);
        delete = List.copyOf(delete);
        blocked = List.copyOf(blocked);
    }

    static RouteChanges between(RoutePlan plan, RouteTable.Listing table) {
        List<HostRoute> replace = new ArrayList<>();
        List<HostRoute> blocked = new ArrayList<>();
        Map<Cidr, Long> planned = new HashMap<>();
        for (HostRoute r : plan.routes()) {
            planned.put(r.destination(), r.via());
            Long have = table.weft().get(r.destination());
            if (have != null && have == r.via()) {
                continue;
            }
            if (have == null && table.foreign().contains(r.destination())) {
                blocked.add(r);
            } else {
                replace.add(r);
            }
        }
        List<Cidr> delete = new ArrayList<>();
        for (Cidr d : table.weft().keySet()) {
            if (!planned.containsKey(d) && !plan.undecided(d)) {
                delete.add(d);
            }
        }
        delete.sort((a, b) -> Long.compare(a.base(), b.base()));
        return new RouteChanges(replace, delete, blocked);
    }

    /** Nothing to do (blocked routes aside: weft cannot do anything about them). */
    boolean none() {
        return replace.isEmpty() && delete.isEmpty();
    }
}
