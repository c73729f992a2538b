package dev.weft.daemon.ringview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.daemon.Daemon;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** weftd's HTTP endpoint serves the ring page at /ring (GET only), without a browser. */
class RingRouteTest {
    @Test
    void servesThePage(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        try (Daemon d = TestDaemons.start(TestDaemons.lone(dir, "10.96.0.0/24"))) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + d.httpAddress().getPort() + "/ring");
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            long until = System.nanoTime() + 30_000_000_000L;
            while (page.body().contains("still forming") && System.nanoTime() < until) {
                Thread.sleep(50);
                page = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            }
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<svg", "class=\"legend\" data-owner=\"solo#", "10.96.0.0/24",
                    "http-equiv=\"refresh\"");
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }
}
