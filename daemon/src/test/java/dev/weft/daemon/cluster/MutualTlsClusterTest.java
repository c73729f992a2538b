package dev.weft.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.api.v1.StatusReply;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.config.Settings;
import dev.weft.daemon.support.ApiClient;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.HostPort;
import dev.weft.gossip.tls.ClusterCa;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Daemons configured with the cluster CA's files form a ring over mutual TLS; a peer of another CA cannot join. */
class MutualTlsClusterTest {

    static Credentials ca(Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        ClusterCa.create("test CA", Duration.ofDays(1)).write(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        return new Credentials.MutualTls(dir.resolve("ca.crt"), dir.resolve("ca.key"));
    }

    static Settings node(Path dir, String name, HostPort listen, List<HostPort> peers, Bootstrap b, Credentials c) {
        return TestDaemons.settings(dir.resolve(name), name, "10.90.0.0/24", b, listen, peers, c);
    }

    static StatusReply await(ApiClient c, String state, long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        StatusReply s = c.blocking().status(StatusRequest.getDefaultInstance());
        while (!s.getState().equals(state) && System.nanoTime() < until) {
            Thread.sleep(50);
            s = c.blocking().status(StatusRequest.getDefaultInstance());
        }
        return s;
    }

    @Test
    void peersOfOneCaFormARingAndAStrangerIsKeptOut(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        Credentials cluster = ca(dir.resolve("ca"));
        Credentials other = ca(dir.resolve("other-ca"));
        int port = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
        HostPort a = new HostPort("127.0.0.5", port);
        HostPort b = new HostPort("127.0.0.6", port + 1);
        Bootstrap seeds = new Bootstrap.Seeds(List.of("a", "b"));
        try (Daemon da = TestDaemons.start(node(dir, "a", a, List.of(b), seeds, cluster));
                Daemon db = TestDaemons.start(node(dir, "b", b, List.of(a), seeds, cluster));
                Daemon stranger = TestDaemons.start(node(dir, "x", new HostPort("127.0.0.7", port + 2), List.of(a, b),
                        new Bootstrap.Observer(), other));
                ApiClient ca = new ApiClient(da.socket()); ApiClient cb = new ApiClient(db.socket());
                ApiClient cx = new ApiClient(stranger.socket())) {
            StatusReply sa = await(ca, "ready", 60_000);
            StatusReply sb = await(cb, "ready", 60_000);
            assertThat(sa.getState()).isEqualTo("ready");
            assertThat(sb.getState()).isEqualTo("ready");
            assertThat(sa.getOwned() + sb.getOwned()).isEqualTo(256);
            assertThat(sa.getCluster()).isEqualTo(sb.getCluster());
            // The stranger's handshakes are refused: it never learns the ring.
            StatusReply sx = cx.blocking().status(StatusRequest.getDefaultInstance());
            assertThat(sx.getState()).isEqualTo("forming");
            assertThat(sx.getReachableList()).isEmpty();
        }
    }
}
