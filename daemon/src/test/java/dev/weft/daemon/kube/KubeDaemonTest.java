package dev.weft.daemon.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.Input;
import dev.weft.core.node.Record;
import dev.weft.core.node.Result;
import dev.weft.core.node.Status;
import dev.weft.core.peer.PeerId;
import dev.weft.core.space.Attachment;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.Transports;
import dev.weft.daemon.config.Settings;
import dev.weft.daemon.store.Store;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.HostPort;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole weftd daemons in Kubernetes mode against fabric8's CRUD mock: founding, joining, refusing. */
class KubeDaemonTest {
    private static final String SPACE = "10.94.0.0/22";

    private static Settings kubeSettings(Path dir, String node, String range, HostPort listen) {
        KubeSettings k = new KubeSettings(node, "weft", "weft-founding", "weft-reclaim", Duration.ofSeconds(120));
        return new Settings(Cidr.parse(range), node, listen, null, List.of(), new Bootstrap.Observer(),
                new Credentials.Plaintext(), dir.resolve(node).resolve("data"), dir.resolve(node + ".sock"),
                new InetSocketAddress("127.0.0.1", 0), 50, null, k);
    }

    private static Daemon start(MockApi api, Settings s) throws Exception {
        return Daemon.start(s, Transports::grpc, api::client, TestDaemons.FATAL::add, holds -> {});
    }

    private static Status status(Daemon d) {
        return d.core().read(p -> p.status()).join();
    }

    private static void awaitReady(Daemon d) throws InterruptedException {
        long until = System.nanoTime() + 60_000_000_000L;
        while (status(d).phase() != Status.Phase.READY) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not ready in 60 s: " + status(d).forming());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void ofTwoDaemonsStartingTogetherOneFoundsAndTheOtherJoinsAndGetsSpace(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        int port = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
        List<String> nodes = List.of("node-a", "node-b");
        List<Daemon> daemons = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (MockApi api = new MockApi()) {
            for (int i = 0; i < 2; i++) {
                api.client().nodes().resource(MockApi.node(nodes.get(i), "127.0.0." + (51 + i))).create();
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Daemon>> starts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Settings s = kubeSettings(dir, nodes.get(i), SPACE, new HostPort("127.0.0." + (51 + i), port));
                Callable<Daemon> c = () -> {
                    go.await();
                    return start(api, s);
                };
                starts.add(pool.submit(c));
            }
            go.countDown();
            for (Future<Daemon> f : starts) {
                daemons.add(f.get());
            }
            for (Daemon d : daemons) {
                awaitReady(d);
            }
            var record = FoundingRecord.fromData(api.client().configMaps().inNamespace("weft").withName("weft-founding")
                    .get().getData(), "cm");
            Daemon founder = null;
            Daemon joiner = null;
            for (Daemon d : daemons) {
                if (status(d).self().equals(record.founder())) {
                    founder = d;
                } else {
                    joiner = d;
                }
            }
            assertThat(founder).isNotNull();
            assertThat(joiner).isNotNull();
            // One ring: the joiner has the founder's cluster, and owns nothing until it asks.
            Daemon f = founder;
            Daemon j = joiner;
            assertThat(j.core().read(p -> p.ring().cluster()).join()).isEqualTo(f.core().read(p -> p.ring().cluster()).join());
            Result r = j.core().submit(id -> new Input.Allocate(id, new Attachment("c1", "eth0"), null)).get();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!(r instanceof Result.Assigned) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                r = j.core().submit(id -> new Input.Allocate(id, new Attachment("c1", "eth0"), null)).get();
            }
            assertThat(r).isInstanceOf(Result.Assigned.class);
            assertThat(status(j).ownedSize()).isPositive();
            assertThat(status(f).ownedSize() + status(j).ownedSize()).isEqualTo(Cidr.parse(SPACE).size());
        } finally {
            daemons.forEach(Daemon::close);
            pool.shutdownNow();
        }
    }

    @Test
    void aNodeThatAppearsLaterIsDialledByTheDaemonsAlreadyRunning(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        int port = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
        try (MockApi api = new MockApi()) {
            // node-a's Node object has no address yet, so node-b's daemon starts with no one to dial: it can
            // only join because node-a's daemon sees node-b appear and dials it.
            api.client().nodes().resource(MockApi.node("node-a", null)).create();
            try (Daemon a = start(api, kubeSettings(dir, "node-a", SPACE, new HostPort("127.0.0.61", port)))) {
                awaitReady(a);
                api.client().nodes().resource(MockApi.node("node-b", "127.0.0.62")).create();
                try (Daemon b = start(api, kubeSettings(dir, "node-b", SPACE, new HostPort("127.0.0.62", port)))) {
                    awaitReady(b);
                    assertThat(b.core().read(p -> p.ring().cluster()).join())
                            .isEqualTo(a.core().read(p -> p.ring().cluster()).join());
                }
            }
        }
    }

    @Test
    void aDaemonConfiguredForAnotherRangeRefusesToStart(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        try (MockApi api = new MockApi()) {
            api.client().configMaps().inNamespace("weft").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata().withName("weft-founding").endMetadata()
                    .withData(new FoundingRecord(Cidr.parse("10.32.0.0/12"), new PeerId("node-x", 9), Instant.now())
                            .toData()).build()).create();
            Settings s = kubeSettings(dir, "node-a", SPACE, new HostPort("127.0.0.1", 0));
            assertThatThrownBy(() -> start(api, s)).isInstanceOf(FoundingException.class)
                    .hasMessageContaining("10.32.0.0/12").hasMessageContaining(SPACE);
        }
    }

    @Test
    void aFounderThatCrashedRightAfterCreatingTheRecordStillFounds(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        Settings s = kubeSettings(dir, "node-a", SPACE, new HostPort("127.0.0.1", 0));
        PeerId self = new PeerId("node-a", 0x5eed);
        try (Store store = Store.open(s.dataDir())) {
            store.write(List.of(new Record.Identity(self)));
        }
        try (MockApi api = new MockApi()) {
            api.client().configMaps().inNamespace("weft").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata().withName("weft-founding").endMetadata()
                    .withData(new FoundingRecord(Cidr.parse(SPACE), self, Instant.now()).toData()).build()).create();
            try (Daemon d = start(api, s)) {
                awaitReady(d);
                assertThat(status(d).self()).isEqualTo(self);
                assertThat(status(d).ownedSize()).isEqualTo(Cidr.parse(SPACE).size());
            }
        }
    }
}
