package dev.weft.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.cni.CniAnswer;
import dev.weft.daemon.cni.CniSettings;
import dev.weft.daemon.cni.Frame;
import dev.weft.daemon.config.Settings;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod added through the CNI endpoint is listed by weft allocations with its namespace/name, and found by it. */
class AllocationsPodTest {
    @Test
    void podNamesFromCniArgs(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        Settings s = TestDaemons.lone(dir, "10.94.0.0/24");
        CniSettings cni = CniSettings.parse(null, null, null, s.socket(), s.dataDir());
        Settings withCni = new Settings(s.universe(), s.name(), s.listen(), s.advertise(), s.peers(), s.bootstrap(),
                s.credentials(), s.dataDir(), s.socket(), s.metrics(), s.tickMillis(), cni);
        try (Daemon d = TestDaemons.start(withCni)) {
            CniAnswer added = add(cni.socket(), "ctr-1", "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0");
            long until = System.nanoTime() + 30_000_000_000L;
            while (added.exitCode() != 0 && System.nanoTime() < until) {
                Thread.sleep(100);
                added = add(cni.socket(), "ctr-1", "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0");
            }
            assertThat(added.exitCode()).as(added.stdout()).isZero();
            String result = added.stdout();
            assertThat(add(cni.socket(), "ctr-2", "").exitCode()).isZero();

            JsonNode byPod = CliRun.weft(d.socket(), "allocations", "--pod", "shop/web-0", "-o", "json").json();
            assertThat(byPod).singleElement().satisfies(h -> {
                assertThat(h.get("container").asText()).isEqualTo("ctr-1");
                assertThat(h.get("pod").asText()).isEqualTo("shop/web-0");
                assertThat(result).contains(h.get("address").asText());
            });
            assertThat(CliRun.weft(d.socket(), "allocations", "--pod", "web-0", "-o", "json").json()).hasSize(1);
            assertThat(CliRun.weft(d.socket(), "allocations", "--pod", "other/web-0", "-o", "json").json()).isEmpty();
            assertThat(CliRun.weft(d.socket(), "allocations", "--container", "ctr-2").table()).singleElement()
                    .satisfies(r -> assertThat(r).containsEntry("POD", "-"));
        }
    }

    private static CniAnswer add(Path socket, String container, String args) throws Exception {
        Map<String, String> env = new java.util.LinkedHashMap<>(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID",
                container, "CNI_NETNS", "/var/run/netns/" + container, "CNI_IFNAME", "eth0", "CNI_PATH",
                "/opt/cni/bin"));
        if (!args.isEmpty()) {
            env.put("CNI_ARGS", args);
        }
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"weft\",\"type\":\"bridge\",\"ipam\":{\"type\":"
                + "\"weft-ipam\"}}";
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer b = ByteBuffer.wrap(Frame.encodeRequest(env, conf.getBytes(StandardCharsets.UTF_8)));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            return Frame.readResponse(Channels.newInputStream(ch));
        }
    }
}
