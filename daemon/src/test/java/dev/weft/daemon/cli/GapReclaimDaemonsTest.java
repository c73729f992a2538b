package dev.weft.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import dev.weft.core.ring.RingEditor;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.Transports;
import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.support.ApiClient;
import dev.weft.daemon.support.GappedFolders;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import dev.weft.daemon.support.ThreePeers;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real gap on real daemons: a, b and c start on data folders written as they would be after every copy of c's
 * split at .192 was lost ({@link GappedFolders}), so nobody covers 10.95.0.192/26. Every peer lists it; a reclaim
 * through a while c is down is refused and names c; with c back it is taken by a, every other install having
 * answered; an ADD through a right after is told to try again (the gap rests); and once its rest is over (the
 * shortest cool-down weftd accepts, and equal rings with every install) the same ADD gets an address in it.
 */
class GapReclaimDaemonsTest {
    static final String UNIVERSE = "10.95.0.0/24";
    static final String GAP = "10.95.0.192/26";

    @Test
    void aLostSplitsGapIsListedRefusedWhileAnInstallIsDownThenTakenAndUsed(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        Range gap = GappedFolders.write(dir, UNIVERSE, 8, Cidr.parse(UNIVERSE).range().start() + 192);
        assertThat(gap).hasToString(GAP);
        try (ThreePeers cluster = new ThreePeers(dir, UNIVERSE, Transports::grpc,
                s -> s.withRemoval(TestDaemons.QUICK_REMOVAL));
                ApiClient api = new ApiClient(cluster.get(0).socket())) {
            Path a = cluster.get(0).socket();
            for (Daemon d : cluster.daemons) {
                assertListed(d.socket());
            }
            // Until a has compared its ring with a peer (a gossip round or a segment exchange after the links
            // come up), every reclaim is "try again in a few seconds", as the core's answer says.
            CliRun[] asked = new CliRun[1];
            Await.until("a compared its ring with a peer", 30,
                    () -> (asked[0] = CliRun.weft(a, "reclaim-gap", "10.95.0.192/27")).code() != ExitCode.NOT_READY);
            CliRun part = asked[0];
            assertThat(part.code()).as(part.err()).isEqualTo(ExitCode.USAGE);
            assertThat(part.err()).contains("not a gap", GAP);

            cluster.get(2).close();
            Await.unreachable(a, "c");
            CliRun down = CliRun.weft(a, "reclaim-gap", GAP);
            assertThat(down.code()).as(down.out() + down.err()).isEqualTo(ExitCode.REFUSED);
            assertThat(down.err()).contains("c#", "did not answer", "weft rmpeer");
            assertListed(a);

            ThreePeers.awaitReady(cluster.restart(2), 60_000);
            CliRun taken = CliRun.weft(a, "reclaim-gap", GAP, "-o", "json");
            assertThat(taken.code()).as(taken.err()).isEqualTo(ExitCode.OK);
            String message = taken.json().get("message").asText();
            assertThat(message).startsWith("took over the gap " + GAP + " (64 addresses)");
            Matcher answered = Pattern.compile("owns nothing there \\(\\[(.*)\\]\\)").matcher(message);
            assertThat(answered.find()).as(message).isTrue();
            assertThat(Arrays.stream(answered.group(1).split(", ")).map(p -> p.substring(0, 2)))
                    .as("every other install answered").containsExactlyInAnyOrder("b#", "c#");
            // Resting: the gap is not handed out at once, and the pod is told to try again. Asked right after the
            // reclaim, well within the cool-down.
            assertThatThrownBy(() -> api.blocking().allocate(add("early"))).as("an ADD right after the reclaim")
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).startsWith("try again later");
                    });

            String self = CliRun.weft(a, "status", "-o", "json").json().get("peer").asText();
            for (Daemon d : cluster.daemons) {
                Await.until("the reclaim reaches " + d.socket(), 30,
                        () -> CliRun.weft(d.socket(), "gaps", "-o", "json").json().isEmpty());
                JsonNode range = rangeOf(d.socket(), GAP);
                assertThat(range.get("owner").asText()).isEqualTo(self);
                assertThat(range.get("version").asLong()).as("above any lost version")
                        .isGreaterThan(RingEditor.GAP_LEAP);
                assertThat(CliRun.weft(d.socket(), "status", "-o", "json").json().get("gapAddresses").asLong())
                        .isZero();
            }

            // The rest is a removal's: the cool-down, then this peer synced with every install. Then an ADD succeeds.
            String[] got = new String[1];
            Await.until("an ADD through a gets an address in the gap", 150,
                    () -> (got[0] = addInGap(api, "pod-1")) != null);
            assertThat(gap.contains(IPv4.parse(got[0]))).as(got[0]).isTrue();
            List<Map<String, String>> held = CliRun.weft(a, "allocations", "--address", GAP).table();
            assertThat(held).singleElement().satisfies(r -> assertThat(r).containsValue(got[0]));
        }
    }

    private static void assertListed(Path socket) {
        JsonNode gaps = CliRun.weft(socket, "gaps", "-o", "json").json();
        assertThat(gaps).as("gaps at " + socket).hasSize(1);
        JsonNode g = gaps.get(0);
        assertThat(g.get("range").asText()).isEqualTo(GAP);
        assertThat(g.get("size").asLong()).isEqualTo(64);
        assertThat(g.get("after").asText()).as("the entry it follows is c's").startsWith("c#");
        assertThat(g.get("cidrs").toString()).contains(GAP);
        List<Map<String, String>> table = CliRun.weft(socket, "gaps").table();
        assertThat(table).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("RANGE", GAP).containsEntry("SIZE", "64");
            assertThat(r.get("AFTER")).startsWith("c#");
        });
        JsonNode status = CliRun.weft(socket, "status", "-o", "json").json();
        assertThat(status.get("gaps").asInt()).isEqualTo(1);
        assertThat(status.get("gapAddresses").asLong()).isEqualTo(64);
    }

    /** A CNI-like ADD restricted to the gap, as the plugin's {@code ipam.subnet} makes it: its address, or null. */
    private static String addInGap(ApiClient api, String container) {
        try {
            return api.blocking().allocate(add(container)).getAddress();
        } catch (StatusRuntimeException e) {
            return null;
        }
    }

    private static AllocateRequest add(String container) {
        return AllocateRequest.newBuilder().setSubnet(GAP).setAttachment(Attachment.newBuilder()
                .setContainerId(container).setIfname("eth0")).build();
    }

    private static JsonNode rangeOf(Path socket, String range) {
        for (JsonNode r : CliRun.weft(socket, "ring", "--ranges", "-o", "json").json().get("ranges")) {
            if (r.get("range").asText().equals(range)) {
                return r;
            }
        }
        throw new AssertionError(range + " is no single entry of the ring at " + socket);
    }
}
