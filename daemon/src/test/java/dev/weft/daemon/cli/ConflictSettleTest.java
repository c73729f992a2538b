package dev.weft.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.node.Message;
import dev.weft.daemon.support.Cuts;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import dev.weft.daemon.support.ThreePeers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real conflict on real daemons, made as operators make one: c stops; a and b, cut off from each other,
 * each remove c by force, so both take c's ranges over at one version. The cut heals but for b's hand-overs
 * to a, which carry b's yield: a lists the rival takeovers, resolved to a (the lower install) but waiting for
 * b's yield. The operator settles the range on b instead: a yields to b, both rings agree, and no conflict is
 * left.
 */
class ConflictSettleTest {
    @Test
    void rivalRemovalsAreListedAndSettled(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        Cuts cuts = new Cuts();
        try (ThreePeers cluster = new ThreePeers(dir, "10.93.0.0/24", cuts,
                s -> s.withRemoval(TestDaemons.QUICK_REMOVAL))) {
            Path a = cluster.get(0).socket();
            Path b = cluster.get(1).socket();
            assertThat(CliRun.weft(a, "conflicts").table()).isEmpty();

            cluster.get(2).close();
            Await.unreachable(a, "c");
            Await.unreachable(b, "c");
            cuts.of("a").cut("b");
            cuts.of("b").cut("a");
            Await.unreachable(a, "b");
            Await.unreachable(b, "a");
            for (Path remover : List.of(a, b)) {
                CliRun rm = CliRun.weft(remover, "rmpeer", "c", "--force");
                assertThat(rm.code()).as(rm.err()).isEqualTo(ExitCode.OK);
                assertThat(rm.out()).contains("took over");
            }

            // b never gets to yield to a: its hand-over (which carries the yield) does not reach a.
            cuts.of("b").withhold("a", Message.HandOver.class);
            cuts.of("a").heal("b");
            cuts.of("b").heal("a");
            Await.until("a lists the rival takeovers", 30,
                    () -> !CliRun.weft(a, "conflicts", "-o", "json").json().isEmpty());
            JsonNode listed = CliRun.weft(a, "conflicts", "-o", "json").json();
            JsonNode first = listed.get(0);
            assertThat(first.get("owner").asText()).as("rival takeovers resolve to the lower install").startsWith("a#");
            List<String> claimants = new ArrayList<>();
            for (JsonNode c : first.get("claims")) {
                assertThat(c.get("takeover").asBoolean()).isTrue();
                claimants.add(c.get("owner").asText().substring(0, 2));
            }
            assertThat(claimants).containsExactlyInAnyOrder("a#", "b#");
            assertThat(first.get("cidrs")).isNotEmpty();
            String range = first.get("range").asText();

            List<Map<String, String>> table = CliRun.weft(a, "conflicts").table();
            assertThat(table).hasSize(listed.size());
            assertThat(table.get(0)).containsEntry("RANGE", range).containsEntry("VERSION",
                    first.get("version").asText());
            assertThat(table.get(0).get("OWNER")).startsWith("a#");
            assertThat(table.get(0).get("CLAIMS")).contains("(takeover)");

            CliRun stranger = CliRun.weft(a, "settle", range, "--owner", "nobody");
            assertThat(stranger.code()).isEqualTo(ExitCode.NOT_FOUND);
            assertThat(stranger.err()).contains("does not claim").contains("b#");
            CliRun settled = CliRun.weft(a, "settle", range, "--owner", "b", "-o", "json");
            assertThat(settled.code()).as(settled.err()).isEqualTo(ExitCode.OK);
            assertThat(settled.json().get("message").asText()).startsWith("settled " + range + " on b#");
            assertThat(ownerOf(a, range)).startsWith("b#");
            // Listed, if at all, one version up with b's claim counting, until a (now the loser) has yielded.
            for (JsonNode c : CliRun.weft(a, "conflicts", "-o", "json").json()) {
                assertThat(c.get("range").asText()).isEqualTo(range);
                assertThat(c.get("version").asLong()).isEqualTo(first.get("version").asLong() + 1);
                assertThat(c.get("owner").asText()).startsWith("b#");
            }

            cuts.of("b").release("a");
            for (Path p : List.of(a, b)) {
                // b restates its claim alone once its takeover's rest ends: the removal's cool-down (the
                // shortest weftd accepts here).
                Await.until("no conflict left on " + p, 120,
                        () -> CliRun.weft(p, "conflicts", "-o", "json").json().isEmpty());
                assertThat(ownerOf(p, range)).startsWith("b#");
                assertThat(CliRun.weft(p, "status", "-o", "json").json().get("conflicts").asInt()).isZero();
            }
        }
    }

    private static String ownerOf(Path socket, String range) {
        for (JsonNode r : CliRun.weft(socket, "ring", "--ranges", "-o", "json").json().get("ranges")) {
            if (r.get("range").asText().equals(range)) {
                return r.get("owner").asText();
            }
        }
        throw new AssertionError(range + " is no single entry of the ring at " + socket);
    }
}
