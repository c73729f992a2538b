package dev.weft.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.ThreePeers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rmpeer on a real 3-peer cluster: refused for a live peer and for one heard from recently, then forced. */
class RmpeerTest {
    @Test
    void refusedWhileHeardFromThenForced(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        try (ThreePeers cluster = new ThreePeers(dir, "10.92.0.0/24")) {
            Path a = cluster.get(0).socket();
            CliRun live = CliRun.weft(a, "rmpeer", "b");
            assertThat(live.code()).isEqualTo(ExitCode.REFUSED);
            assertThat(live.err()).contains("b#");

            cluster.get(2).close();
            Await.unreachable(a, "c");
            List<Map<String, String>> ring = CliRun.weft(a, "ring").table();
            assertThat(ring).filteredOn(r -> r.get("PEER").startsWith("c#")).singleElement()
                    .satisfies(r -> assertThat(r.get("REACHABLE")).isEqualTo("unreachable!"));

            CliRun refused = CliRun.weft(a, "rmpeer", "c");
            assertThat(refused.code()).isEqualTo(ExitCode.REFUSED);
            assertThat(refused.err()).contains("was heard from").contains("--force");
            assertThat(CliRun.weft(a, "ring", "-o", "json").json().get("peers").toString()).contains("\"c#");

            CliRun forced = CliRun.weft(a, "rmpeer", "c", "--force", "-o", "json");
            assertThat(forced.code()).as(forced.err()).isEqualTo(ExitCode.OK);
            assertThat(forced.json().get("message").asText()).contains("took over");
            JsonNode peers = CliRun.weft(a, "peers", "-o", "json").json();
            JsonNode c = null;
            for (JsonNode p : peers) {
                if (p.get("peer").asText().startsWith("c#")) {
                    c = p;
                }
            }
            assertThat(c).isNotNull();
            assertThat(c.get("removed").asBoolean()).isTrue();
            assertThat(c.get("owned").asLong()).isZero();
            assertThat(CliRun.weft(a, "status", "-o", "json").json().get("gapAddresses").asLong()).isZero();
            CliRun again = CliRun.weft(a, "rmpeer", "c", "--force");
            assertThat(again.code()).isEqualTo(ExitCode.OK);
            assertThat(again.out()).contains("already removed");
        }
    }
}
