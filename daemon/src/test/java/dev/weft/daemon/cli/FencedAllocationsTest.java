package dev.weft.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.support.ApiClient;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.ThreePeers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A removed install's pods, on real daemons: c hands out an address, stops, is removed by force through a, and
 * starts again on its folder. It is removed and its pod's hold is fenced, and {@code weft allocations --fenced}
 * on c names that pod, with a as the owner of its range: the pod the operator must restart (status only counts
 * it).
 */
class FencedAllocationsTest {
    @Test
    void fencedHoldsAreListedWithTheirRangesNewOwner(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        try (ThreePeers cluster = new ThreePeers(dir, "10.98.0.0/24")) {
            Path a = cluster.get(0).socket();
            Path c = cluster.get(2).socket();
            String address;
            try (ApiClient api = new ApiClient(c)) {
                address = api.blocking().allocate(AllocateRequest.newBuilder().setAttachment(Attachment.newBuilder()
                        .setContainerId("web-c").setIfname("eth0")).build()).getAddress();
            }
            cluster.get(2).close();
            Await.unreachable(a, "c");
            CliRun rm = CliRun.weft(a, "rmpeer", "c", "--force");
            assertThat(rm.code()).as(rm.err()).isEqualTo(ExitCode.OK);
            String self = CliRun.weft(a, "status", "-o", "json").json().get("peer").asText();

            cluster.restart(2);
            Await.until("c learns it was removed", 60,
                    () -> "removed".equals(CliRun.weft(c, "status", "-o", "json").json().get("state").asText()));
            assertThat(CliRun.weft(c, "status", "-o", "json").json().get("fenced").asInt()).isEqualTo(1);
            assertThat(CliRun.weft(c, "status").out()).contains("Fenced:", "1 attachments",
                    "weft allocations --fenced");
            // Its removal may reach it before a's takeover of its range does (both spread by gossip).
            Await.until("c learns who owns its old range", 30, () -> !CliRun.weft(c, "ring", "-o", "json").json()
                    .get("peers").toString().contains("\"c#"));

            assertThat(CliRun.weft(c, "allocations", "-o", "json").json()).as("it holds nothing of its own").isEmpty();
            JsonNode listed = CliRun.weft(c, "allocations", "--fenced", "-o", "json").json();
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("container").asText()).isEqualTo("web-c");
            assertThat(listed.get(0).get("address").asText()).isEqualTo(address);
            assertThat(listed.get(0).get("owner").asText()).isEqualTo(self);
            List<Map<String, String>> table = CliRun.weft(c, "allocations", "--fenced", "--address", address).table();
            assertThat(table).singleElement().satisfies(r -> assertThat(r).containsEntry("CONTAINER", "web-c")
                    .containsEntry("OWNER", self));
            assertThat(CliRun.weft(c, "allocations", "--fenced", "--peer", "a").table()).hasSize(1);
            assertThat(CliRun.weft(c, "allocations", "--fenced", "--container", "other").table()).isEmpty();
        }
    }
}
