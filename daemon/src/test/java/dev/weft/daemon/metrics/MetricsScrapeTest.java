package dev.weft.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.api.v1.WeftGrpc;
import dev.weft.daemon.support.ApiClient;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes /metrics as Prometheus would, parses the text format, and checks the meters exist and move. */
class MetricsScrapeTest {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(Daemon d, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + d.httpAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sample name with labels (as written) -> value; comment lines are checked to be HELP/TYPE. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                assertThat(line).matches("# (HELP|TYPE|EOF).*");
                continue;
            }
            int space = line.lastIndexOf(' ');
            assertThat(space).as("a sample line: %s", line).isPositive();
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    static double value(Map<String, Double> m, String name) {
        return m.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    static double valueWith(Map<String, Double> m, String name, String... labels) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{")).filter(e -> {
            for (String l : labels) {
                if (!e.getKey().contains(l)) {
                    return false;
                }
            }
            return true;
        }).mapToDouble(Map.Entry::getValue).sum();
    }

    @Test
    void metersArePresentAndMove(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        try (Daemon d = TestDaemons.start(TestDaemons.lone(dir, "10.70.0.0/24")); ApiClient c = new ApiClient(d.socket())) {
            WeftGrpc.WeftBlockingStub api = c.blocking();
            for (int i = 0; i < 200 && !api.status(StatusRequest.getDefaultInstance()).getState().equals("ready"); i++) {
                Thread.sleep(20);
            }
            assertThat(get(d, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(d, "/readyz");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            Map<String, Double> before = parse(get(d, "/metrics").body());
            for (String name : new String[] {"weft_addresses_owned", "weft_addresses_in_use", "weft_addresses_free",
                "weft_ring_entries", "weft_ring_conflicts", "weft_peers_known", "weft_peers_connected",
                "weft_peers_unreachable", "weft_recovery_seconds", "weft_ring_ready"}) {
                assertThat(before).as(name).containsKey(name);
            }
            assertThat(before.get("weft_addresses_owned")).isEqualTo(256.0);
            assertThat(before.keySet()).as("alarm counters exist before any alarm")
                    .contains("weft_alarms_total{kind=\"conflict\"}", "weft_alarms_total{kind=\"removed_while_alive\"}");

            for (int i = 0; i < 5; i++) {
                api.allocate(AllocateRequest.newBuilder()
                        .setAttachment(Attachment.newBuilder().setContainerId("m" + i).setIfname("eth0")).build());
            }
            // A request the core refuses as bad: counted by its outcome.
            assertThatThrownBy(() -> api.allocate(AllocateRequest.newBuilder()
                    .setAttachment(Attachment.newBuilder().setContainerId("x").setIfname("eth0"))
                    .setSubnet("10.99.0.0/24").build())).isInstanceOf(StatusRuntimeException.class);
            Thread.sleep(300); // a few ticks: gauges are refreshed at each tick

            Map<String, Double> after = parse(get(d, "/metrics").body());
            assertThat(valueWith(after, "weft_requests_total", "kind=\"allocate\"", "outcome=\"assigned\""))
                    .isEqualTo(valueWith(before, "weft_requests_total", "kind=\"allocate\"",
                            "outcome=\"assigned\"") + 5);
            assertThat(valueWith(after, "weft_requests_total", "kind=\"allocate\"", "outcome=\"bad_request\""))
                    .isEqualTo(1.0);
            assertThat(valueWith(after, "weft_request_latency_seconds_count", "kind=\"allocate\""))
                    .isGreaterThanOrEqualTo(6.0);
            assertThat(value(after, "weft_request_latency_seconds_bucket")).isPositive();
            assertThat(value(after, "weft_store_sync_seconds_count"))
                    .isGreaterThan(value(before, "weft_store_sync_seconds_count"));
            assertThat(value(after, "weft_batch_records_count")).isGreaterThan(value(before, "weft_batch_records_count"));
            assertThat(after.get("weft_addresses_in_use")).isEqualTo(before.get("weft_addresses_in_use") + 5);
            assertThat(after.get("weft_addresses_free")).isEqualTo(before.get("weft_addresses_free") - 5);
            assertThat(after.get("weft_ring_ready")).isEqualTo(1.0);
            assertThat(after.keySet()).as("the transport's counters")
                    .anyMatch(k -> k.startsWith("weft_transport_plaintext"));
        }
    }

    @Test
    void readyzSaysWhyAFormingPeerIsNotReady(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        try (Daemon d = TestDaemons.start(TestDaemons.settings(dir, "a", "10.70.0.0/24",
                new Bootstrap.Seeds(List.of("a", "b"))))) {
            Thread.sleep(200);
            assertThat(get(d, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(d, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("forming").contains("b");
            assertThat(parse(get(d, "/metrics").body()).get("weft_ring_ready")).isEqualTo(0.0);
            assertThat(get(d, "/nothing").statusCode()).isEqualTo(404);
        }
    }
}
