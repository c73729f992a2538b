package dev.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Peer;
import dev.weft.sim.plant.Plant;
import dev.weft.sim.plant.PlantedBuild;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A checker that cannot fail is worthless. Bugs are planted from here, never by switches in production code:
 * driver faults in the simulator, and {@link Plants} patched into a copy of the core's source and compiled
 * for the run. Each must be found within {@link #SEED_BUDGET} seeds; each is found far sooner (the figures
 * in the design notes), so an unrelated change that shifts the random paths does not make one slip.
 */
class PlantedBugTest {
    static final int SEED_BUDGET = 100;

    @ParameterizedTest
    @EnumSource(value = SimConfig.Bug.class, names = {"SEND_BEFORE_PERSIST", "FORGET_HOLDS"})
    void theSimulatorFindsABugPlantedInTheDriver(SimConfig.Bug bug) {
        String[] found = Hunt.hunt(1, SEED_BUDGET, bug.name());
        assertThat(found).as("a violation with %s planted, within %d seeds", bug, SEED_BUDGET).isNotNull();
        System.out.printf("planted %s: found at seed %s: %s%n", bug, found[0], found[1]);
        assertThat(found[1]).as("caught by the check planted for")
                .containsAnyOf(bug == SimConfig.Bug.SEND_BEFORE_PERSIST
                        // A restarted peer that forgot a change it sent looks like a restored backup: it waits to
                        // compare rings, then meets its forgotten change (an alarm no fault explains).
                        ? new String[] {"TWO OWNERS", "ALARM RANGE_LOST", "ALARM RESTORED_FROM_BACKUP"}
                        : new String[] {"MEMORY != DISK"});
    }

    static Stream<Plant> plants() {
        return Plants.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("plants")
    void theSimulatorFindsABugPlantedInTheCore(Plant plant) throws Exception {
        Path main = Path.of(Peer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path test = Path.of(Hunt.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (PlantedBuild build = PlantedBuild.of(plant, Path.of("src/main/java"), main, test)) {
            String[] found = (String[]) build.loader().loadClass(Hunt.class.getName())
                    .getMethod("hunt", long.class, int.class, String.class).invoke(null, 1L, SEED_BUDGET, "NONE");
            assertThat(found).as("a violation with '%s' planted, within %d seeds", plant, SEED_BUDGET).isNotNull();
            System.out.printf("planted %s: found at seed %s: %s%n", plant, found[0], found[1]);
            // caughtBy may name several checks, "a|b": the first seed a bug breaks depends on gossip's paths,
            // and some bugs break two promises at once (a loser that allocates also makes two owners).
            assertThat(List.of(plant.caughtBy().split("\\|"))).as("caught by a check planted for: %s", found[1])
                    .anyMatch(found[1]::contains);
        }
    }

    static final class Plants {
        static final String PEER = "dev/weft/core/node/Peer.java";
        static final String SPACE = "dev/weft/core/space/Space.java";

        static final List<Plant> ALL = List.of(
                new Plant("subnets", "an allocation in a subnet may take the subnet's network or broadcast address",
                        PEER, "within = c.hosts();", "within = c.range();", "SUBNET"),
                new Plant("reserved addresses", "the universe's network and broadcast addresses are not reserved",
                        SPACE, "this.reserved = reserved.clone();", "this.reserved = new long[0];", "RESERVED|LEAK"),
                new Plant("space", "a release drops the hold but leaves its address taken in the bitmap",
                        SPACE, "            poolOf(a).free(a);\n", "", "LEAK"),
                new Plant("grants", "a donor gives a block away but keeps allocating from it",
                        PEER, "        space.remove(block);\n        Merge m = ring.edit(self, space::freeIn).give(block, from)",
                        "        Merge m = ring.edit(self, space::freeIn).give(block, from)", "ALARM RANGE_LOST"),
                new Plant("networks", "a GC of one network releases the other network's attachments",
                        "dev/weft/core/node/Holders.java", "h.attachment().network().equals(gc.network()) && ", "", "GC of network"),
                new Plant("free counts", "the owner reports one more free address than it has",
                        "dev/weft/core/node/FreeReports.java", "edit.reportFree(e.token(), actual);\n                any = true;\n            }",
                        "edit.reportFree(e.token(), actual + 1);\n                any = true;\n            }", "free of"),
                new Plant("Paxos durability", "an acceptor answers a prepare without persisting its promise",
                        "dev/weft/core/node/Forming.java", "        if (paxos.prepare(b)) {\n            persistAcceptor();",
                        "        if (paxos.prepare(b)) {", "MEMORY != DISK"),
                new Plant("removal", "the remover does not persist which install it removed",
                        PEER, "        if (removedByMe.add(dead)) {\n            out.persist(new Record.Removal(dead));\n        }",
                        "        removedByMe.add(dead);", "MEMORY != DISK"),
                new Plant("merge", "a merge keeps the older of two versions of an entry",
                        "dev/weft/core/ring/Entry.java", "return a.version > b.version ? a : b;",
                        "return a.version < b.version ? a : b;", "free count"),
                new Plant("recovery", "a restart does not restore the holds on disk",
                        "dev/weft/core/node/Recovery.java", "            peer.restoreHold(h.hold());\n", "", "LOST"),
                new Plant("cool-downs", "a removal without force does not wait for the removed install's hand-over",
                        PEER, "PeerId waitsFor = force || replaced(dead) ? self : dead;",
                        "PeerId waitsFor = force || replaced(dead) ? self : null;", "TWO OWNERS"),
                new Plant("fencing", "a peer that hears it was removed keeps allocating",
                        // Or, first on some paths: the removed peer, which donors no longer give to, keeps telling its
                        // pods to try again while the others have space (LIVENESS), where it should say it was removed.
                        PEER, "if (ring.isTombstoned(self) && !removed) {", "if (false) {", "its own ring says|LIVENESS"),
                new Plant("hand-over", "the new owner does not keep the addresses a removed install hands over",
                        "dev/weft/core/node/HandOvers.java", "Space.ClaimResult r = space.restore(hold.attachment(), hold.address());",
                        "Space.ClaimResult r = Space.ClaimResult.NOT_OWNED;", "DUPLICATE"),
                new Plant("deltas", "a delta says it is the whole ring",
                        "dev/weft/core/ring/Ring.java", "picked.size() == tokens.length);", "true);", ""),
                new Plant("rivals", "the loser of rival takeovers keeps allocating from the range it lost",
                        "dev/weft/core/ring/Ring.java", "if (peer.equals(ownerAt(i))) {",
                        "if (peer.equals(ownerAt(i)) || ownerAt(i) != null && entries[i].takenOverBy(peer)) {",
                        "its own ring says|TWO OWNERS"),
                new Plant("claims", "a claim takes an address another attachment holds",
                        SPACE, "        if (p.isTaken(address)) {\n            return ClaimResult.HELD_BY_OTHER;\n        }", "",
                        "DUPLICATE"),
                new Plant("succession", "the successor takes the ranges but does not import the live pods' holds",
                        PEER, "Succession.importHolds(s.liveHolds(),", "Succession.importHolds(java.util.Map.of(),",
                        "LOST"),
                new Plant("gaps", "a reclaim takes the gap without waiting for every install's answer",
                        "dev/weft/core/node/GapReclaim.java", "        ask.remove(self);\n", "        ask.clear();\n",
                        "ALARM RANGE_LOST"));
    }
}
