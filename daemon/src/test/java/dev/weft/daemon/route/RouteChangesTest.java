package dev.weft.daemon.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteChangesTest {
    private static final long B = IPv4.parse("192.168.7.2");
    private static final long C = IPv4.parse("192.168.7.3");

    private static HostRoute route(String cidr, long via) {
        return new HostRoute(Cidr.parse(cidr), via);
    }

    @Test
    void addsWhatIsMissingRepointsWhatMovedDeletesWhatIsNoLongerPlannedAndLeavesTheRestAlone() {
        RoutePlan plan = new RoutePlan(Set.of(route("10.36.0.0/14", B), route("10.40.0.0/14", C),
                route("10.44.0.0/16", C)), Map.of(), List.of());
        RouteTable.Listing table = new RouteTable.Listing(Map.of(Cidr.parse("10.36.0.0/14"), B,
                Cidr.parse("10.40.0.0/14"), B, Cidr.parse("10.32.0.0/14"), C), Set.of(Cidr.parse("0.0.0.0/0")));
        RouteChanges c = RouteChanges.between(plan, table);
        assertThat(c.replace()).containsExactlyInAnyOrder(route("10.40.0.0/14", C), route("10.44.0.0/16", C));
        assertThat(c.delete()).containsExactly(Cidr.parse("10.32.0.0/14"));
        assertThat(c.blocked()).isEmpty();
        assertThat(c.none()).isFalse();
        RouteTable.Listing done = new RouteTable.Listing(Map.of(Cidr.parse("10.36.0.0/14"), B,
                Cidr.parse("10.40.0.0/14"), C, Cidr.parse("10.44.0.0/16"), C), Set.of());
        assertThat(RouteChanges.between(plan, done).none()).isTrue();
    }

    @Test
    void aRouteWeftDidNotMakeIsNeverReplacedButReportedAsBlocked() {
        RoutePlan plan = new RoutePlan(Set.of(route("10.36.0.0/14", B)), Map.of(), List.of());
        RouteChanges c = RouteChanges.between(plan, new RouteTable.Listing(Map.of(),
                Set.of(Cidr.parse("10.36.0.0/14"))));
        assertThat(c.replace()).isEmpty();
        assertThat(c.blocked()).containsExactly(route("10.36.0.0/14", B));
        assertThat(c.none()).isTrue();
    }

    @Test
    void weftsRoutesInsideRangesWhoseOwnerIsNotYetHeardFromStay() {
        Range unknown = Cidr.parse("10.40.0.0/13").range();
        RoutePlan plan = new RoutePlan(Set.of(), Map.of(Unroutable.NO_ADDRESS, 1), List.of(unknown));
        RouteTable.Listing table = new RouteTable.Listing(Map.of(Cidr.parse("10.40.0.0/14"), B,
                Cidr.parse("10.44.0.0/14"), C, Cidr.parse("10.32.0.0/12"), C), Set.of());
        // the /12 reaches outside the unknown range (into this node's own, say): it goes
        assertThat(RouteChanges.between(plan, table).delete()).containsExactly(Cidr.parse("10.32.0.0/12"));
    }
}
