package dev.weft.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command of {@code weft} against one real daemon (a lone peer owning 10.91.0.0/24), table and JSON. */
class CliCommandsTest {
    @TempDir
    static Path dir;
    static Daemon daemon;
    static Path socket;

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.epoll();
        daemon = TestDaemons.start(TestDaemons.lone(dir, "10.91.0.0/24"));
        socket = daemon.socket();
        long until = System.nanoTime() + 30_000_000_000L;
        while (CliRun.weft(socket, "status").code() != ExitCode.OK && System.nanoTime() < until) {
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void statusInTableAndJson() {
        CliRun t = CliRun.weft(socket, "status");
        assertThat(t.code()).isEqualTo(ExitCode.OK);
        assertThat(t.out()).contains("State:      ready").contains("Universe:   10.91.0.0/24")
                .containsPattern("Peer: +solo#");
        JsonNode j = CliRun.weft(socket, "status", "-o", "json").json();
        assertThat(j.get("state").asText()).isEqualTo("ready");
        assertThat(j.get("owned").asLong()).isEqualTo(256);
        assertThat(j.get("peer").asText()).startsWith("solo#");
        assertThat(j.get("gapAddresses").asLong()).isZero();
        assertThat(t.out()).contains("0 conflicts, 0 addresses in gaps");
    }

    @Test
    void ringPeersAndSvg() throws Exception {
        List<Map<String, String>> rows = CliRun.weft(socket, "ring").table();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("PEER")).startsWith("solo#");
        assertThat(rows.get(0)).containsEntry("OWNED", "256").containsEntry("SHARE", "100.0%")
                .containsEntry("REACHABLE", "yes");
        JsonNode ranges = CliRun.weft(socket, "ring", "--ranges", "-o", "json").json();
        assertThat(ranges.get("universe").asText()).isEqualTo("10.91.0.0/24");
        long total = 0;
        for (JsonNode r : ranges.get("ranges")) {
            total += r.get("size").asLong();
            assertThat(r.get("conflict").asBoolean()).isFalse();
        }
        assertThat(total).isEqualTo(256);
        Path svg = dir.resolve("ring.svg");
        assertThat(CliRun.weft(socket, "ring", "--svg", svg.toString()).code()).isEqualTo(ExitCode.OK);
        assertThat(Files.readString(svg)).startsWith("<svg").contains("solo#");

        JsonNode peers = CliRun.weft(socket, "peers", "-o", "json").json();
        assertThat(peers).hasSize(1);
        assertThat(peers.get(0).get("self").asBoolean()).isTrue();
        assertThat(CliRun.weft(socket, "peers", "-o", "wide").table().get(0)).containsKey("LAST HEARD AT");
    }

    @Test
    void claimListReleaseAndGc() throws Exception {
        CliRun claim = CliRun.weft(socket, "claim", "10.91.0.9", "--container", "c1");
        assertThat(claim.code()).as(claim.err()).isEqualTo(ExitCode.OK);
        assertThat(claim.table().get(0)).containsEntry("ADDRESS", "10.91.0.9").containsEntry("PREFIX", "24");
        CliRun taken = CliRun.weft(socket, "claim", "10.91.0.9", "--container", "other");
        assertThat(taken.code()).isEqualTo(ExitCode.TAKEN);
        assertThat(taken.err()).startsWith("weft: ");
        assertThat(CliRun.weft(socket, "claim", "10.91.0.10", "--container", "c2", "-o", "json").json().get(0)
                .get("address").asText()).isEqualTo("10.91.0.10");
        assertThat(CliRun.weft(socket, "claim", "10.91.0.11", "--container", "c3", "--ifname", "net1").code())
                .isEqualTo(ExitCode.OK);

        List<Map<String, String>> all = CliRun.weft(socket, "allocations").table();
        assertThat(all).extracting(r -> r.get("ADDRESS")).contains("10.91.0.9", "10.91.0.10", "10.91.0.11");
        assertThat(all).allSatisfy(r -> assertThat(r.get("OWNER")).startsWith("solo#"));
        JsonNode one = CliRun.weft(socket, "allocations", "--address", "10.91.0.9", "-o", "json").json();
        assertThat(one).hasSize(1);
        assertThat(one.get(0).get("container").asText()).isEqualTo("c1");
        assertThat(CliRun.weft(socket, "allocations", "--container", "c3", "-o", "json").json().get(0).get("ifname")
                .asText()).isEqualTo("net1");
        assertThat(CliRun.weft(socket, "allocations", "--peer", "nobody", "-o", "json").json()).isEmpty();
        assertThat(CliRun.weft(socket, "allocations", "--address", "10.91.0.300").code()).isEqualTo(ExitCode.USAGE);

        CliRun released = CliRun.weft(socket, "release", "--container", "c1", "-o", "json");
        assertThat(released.json().get(0).get("address").asText()).isEqualTo("10.91.0.9");

        Path empty = Files.writeString(dir.resolve("empty.txt"), "# nothing\n");
        CliRun refused = CliRun.weft(socket, "gc", "--valid", empty.toString());
        assertThat(refused.code()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.err()).contains("--allow-empty");
        Path valid = Files.writeString(dir.resolve("valid.txt"), "# live containers\nc2\n\nkeep net9\n");
        List<Map<String, String>> freed = CliRun.weft(socket, "gc", "--valid", valid.toString()).table();
        assertThat(freed).singleElement().satisfies(r -> assertThat(r).containsEntry("CONTAINER", "c3")
                .containsEntry("FREED", "10.91.0.11"));
        assertThat(CliRun.weft(socket, "allocations", "-o", "json").json()).singleElement()
                .satisfies(h -> assertThat(h.get("container").asText()).isEqualTo("c2"));
        assertThat(CliRun.weft(socket, "gc", "--valid", dir.resolve("missing.txt").toString()).code())
                .isEqualTo(ExitCode.USAGE);
    }

    @Test
    void oneContainerOnTwoNetworksIsTwoAttachments() {
        assertThat(CliRun.weft(socket, "claim", "10.91.0.40", "--container", "multi").code()).isEqualTo(ExitCode.OK);
        CliRun storage = CliRun.weft(socket, "claim", "10.91.0.41", "--container", "multi", "--network", "storage");
        assertThat(storage.code()).as(storage.err()).isEqualTo(ExitCode.OK);
        assertThat(storage.table().get(0)).containsEntry("NETWORK", "storage");
        assertThat(CliRun.weft(socket, "claim", "10.91.0.42", "--container", "multi", "--network", "bad/name").code())
                .isEqualTo(ExitCode.USAGE);

        List<Map<String, String>> mine = CliRun.weft(socket, "allocations", "--container", "multi").table();
        assertThat(mine).extracting(r -> r.get("NETWORK") + "=" + r.get("ADDRESS"))
                .containsExactlyInAnyOrder("weft=10.91.0.40", "storage=10.91.0.41");
        assertThat(CliRun.weft(socket, "allocations", "--network", "storage", "-o", "json").json()).singleElement()
                .satisfies(h -> assertThat(h.get("address").asText()).isEqualTo("10.91.0.41"));

        // A release, and a GC, on one network leave the other network's attachment alone.
        List<Map<String, String>> freed = CliRun.weft(socket, "release", "--container", "multi", "--network",
                "storage").table();
        assertThat(freed).singleElement().satisfies(r -> assertThat(r).containsEntry("NETWORK", "storage")
                .containsEntry("FREED", "10.91.0.41"));
        assertThat(CliRun.weft(socket, "allocations", "--container", "multi", "-o", "json").json()).singleElement()
                .satisfies(h -> assertThat(h.get("address").asText()).isEqualTo("10.91.0.40"));
        assertThat(CliRun.weft(socket, "release", "--container", "multi").table()).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("NETWORK", "weft").containsEntry("FREED", "10.91.0.40"));
    }

    @Test
    void operatorCommandsSayWhyTheyRefuse() {
        CliRun unknown = CliRun.weft(socket, "rmpeer", "ghost");
        assertThat(unknown.code()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(unknown.err()).contains("ghost");
        CliRun self = CliRun.weft(socket, "rmpeer", "solo");
        assertThat(self.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(self.err()).contains("leave");
        CliRun kept = CliRun.weft(socket, "claim", "10.91.0.20", "--container", "held");
        assertThat(kept.code()).isEqualTo(ExitCode.OK);
        CliRun leave = CliRun.weft(socket, "leave", "-o", "json");
        assertThat(leave.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(leave.err()).contains("still held");
        assertThat(CliRun.weft(socket, "release", "--container", "held").code()).isEqualTo(ExitCode.OK);
    }

    @Test
    void aHealthyRingHasNoConflictToSettle() {
        CliRun table = CliRun.weft(socket, "conflicts");
        assertThat(table.code()).isEqualTo(ExitCode.OK);
        assertThat(table.out()).startsWith("RANGE").contains("OWNER", "CLAIMS");
        assertThat(table.table()).isEmpty();
        assertThat(CliRun.weft(socket, "conflicts", "-o", "wide").out()).contains("CIDRS");
        JsonNode json = CliRun.weft(socket, "conflicts", "-o", "json").json();
        assertThat(json.isArray()).isTrue();
        assertThat(json).isEmpty();

        CliRun byName = CliRun.weft(socket, "settle", "10.91.0.0/24", "--owner", "solo");
        assertThat(byName.code()).isEqualTo(ExitCode.USAGE);
        assertThat(byName.err()).contains("not in conflict").contains("weft conflicts");
        String self = CliRun.weft(socket, "status", "-o", "json").json().get("peer").asText();
        CliRun byInstall = CliRun.weft(socket, "settle", "10.91.0.0-10.91.0.255", "--owner", self);
        assertThat(byInstall.code()).isEqualTo(ExitCode.USAGE);
        assertThat(byInstall.err()).contains("10.91.0.0/24 is not in conflict here").contains("claimed by [" + self);
        assertThat(CliRun.weft(socket, "settle", "10.91.0.9-10.91.0.1", "--owner", "solo").err())
                .contains("ends before it starts");
        assertThat(CliRun.weft(socket, "settle", "10.91.0.1/24", "--owner", "solo").err()).contains("host bits");
        assertThat(CliRun.weft(socket, "settle", "10.91.0.0/24", "--owner", "solo#xyz").err()).contains("name#uid");
        assertThat(CliRun.weft(socket, "settle", "10.91.0.0/24").code()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aHealthyRingHasNoGapToReclaim() {
        CliRun table = CliRun.weft(socket, "gaps");
        assertThat(table.code()).isEqualTo(ExitCode.OK);
        assertThat(table.out()).startsWith("RANGE").contains("SIZE", "AFTER");
        assertThat(table.table()).isEmpty();
        assertThat(CliRun.weft(socket, "gaps", "-o", "wide").out()).contains("CIDRS");
        JsonNode json = CliRun.weft(socket, "gaps", "-o", "json").json();
        assertThat(json.isArray()).isTrue();
        assertThat(json).isEmpty();
        assertThat(CliRun.weft(socket, "status", "-o", "json").json().get("gaps").asInt()).isZero();

        CliRun owned = CliRun.weft(socket, "reclaim-gap", "10.91.0.128/25");
        assertThat(owned.code()).isEqualTo(ExitCode.USAGE);
        assertThat(owned.err()).contains("10.91.0.128/25 is not a gap").contains("its gaps are []");
        CliRun outside = CliRun.weft(socket, "reclaim-gap", "10.92.0.0-10.92.0.9", "-o", "json");
        assertThat(outside.code()).isEqualTo(ExitCode.USAGE);
        assertThat(outside.out()).isEmpty();
        assertThat(CliRun.weft(socket, "reclaim-gap", "10.91.0.0/33").code()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.weft(socket, "reclaim-gap").code()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.weft(socket, "status", "-o", "json").json().get("owned").asLong()).isEqualTo(256);
    }

    @Test
    void helpListsCommandsExamplesAndExitCodes() {
        CliRun help = CliRun.weft(null, "--help");
        assertThat(help.code()).isEqualTo(ExitCode.OK);
        assertThat(help.out()).contains("status", "ring", "peers", "allocations", "rmpeer", "claim", "release", "gc",
                "leave", "conflicts", "settle", "gaps",
                "reclaim-gap", "Exit codes:", "3  weftd is not running");
        assertThat(CliRun.weft(null, "rmpeer", "--help").out()).contains("Exit codes:");
        CliRun rm = CliRun.weft(null, "rmpeer", "--help");
        assertThat(rm.out()).contains("Examples:", "--force", "--socket");
        assertThat(CliRun.weft(null, "ring", "--bogus").code()).isEqualTo(ExitCode.USAGE);
        assertThat(CliRun.weft(null, "settle", "--help").out()).contains("Examples:", "--owner", "exit 2", "exit 5");
        assertThat(CliRun.weft(null, "conflicts", "--help").out()).contains("Examples:", "weft settle");
        assertThat(CliRun.weft(null, "gaps", "--help").out()).contains("Examples:", "weft reclaim-gap");
        assertThat(CliRun.weft(null, "reclaim-gap", "--help").out()).contains("Examples:", "exit 2", "exit 4");
    }

    @Test
    void aDaemonThatIsNotRunningIsNamedBySocket() throws Exception {
        Path none = dir.resolve("no-such.sock");
        CliRun missing = CliRun.weft(none, "status");
        assertThat(missing.code()).isEqualTo(ExitCode.NO_DAEMON);
        assertThat(missing.err()).contains("weftd is not running").contains(none.toAbsolutePath().toString())
                .contains("--socket");
        // A socket file left by a crashed weftd: it exists, but nobody listens.
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(stale));
        }
        CliRun dead = CliRun.weft(stale, "ring", "-o", "json", "--timeout", "5");
        assertThat(dead.code()).isEqualTo(ExitCode.NO_DAEMON);
        assertThat(dead.err()).contains(stale.toAbsolutePath().toString());
        assertThat(dead.out()).isEmpty();
    }
}
