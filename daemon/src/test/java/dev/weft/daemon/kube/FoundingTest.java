package dev.weft.daemon.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The founding ConfigMap against fabric8's mock API server in CRUD mode. */
class FoundingTest {
    private static final Cidr RANGE = Cidr.parse("10.32.0.0/12");

    private static KubeSettings kube(String node) {
        return new KubeSettings(node, "kube-system", "weft-founding", "weft-reclaim", Duration.ofSeconds(120));
    }

    @Test
    void ofDaemonsRacingToFoundExactlyOneFounds() throws Exception {
        int racers = 6;
        try (MockApi api = new MockApi()) {
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Bootstrap>> results = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    PeerId self = new PeerId("node-" + i, 100 + i);
                    KubernetesClient client = api.client();
                    Callable<Bootstrap> race = () -> {
                        go.await();
                        return new Founding(client, kube(self.name())).bootstrap(self, RANGE);
                    };
                    results.add(pool.submit(race));
                }
                go.countDown();
                List<Bootstrap> decided = new ArrayList<>();
                for (Future<Bootstrap> f : results) {
                    decided.add(f.get());
                }
                assertThat(decided).filteredOn(b -> b instanceof Bootstrap.Seeds).hasSize(1);
                assertThat(decided).filteredOn(b -> b instanceof Bootstrap.Observer).hasSize(racers - 1);
                Bootstrap.Seeds founder = (Bootstrap.Seeds) decided.stream().filter(b -> b instanceof Bootstrap.Seeds)
                        .findFirst().orElseThrow();
                var record = FoundingRecord.fromData(api.client().configMaps().inNamespace("kube-system")
                        .withName("weft-founding").get().getData(), "cm");
                assertThat(founder.names()).containsExactly(record.founder().name());
                assertThat(record.range()).isEqualTo(RANGE);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRecordOfAnotherRangeIsRefused() throws Exception {
        try (MockApi api = new MockApi()) {
            PeerId a = new PeerId("node-a", 1);
            assertThat(new Founding(api.client(), kube("node-a")).bootstrap(a, RANGE))
                    .isInstanceOf(Bootstrap.Seeds.class);
            assertThatThrownBy(() -> new Founding(api.client(), kube("node-b"))
                    .bootstrap(new PeerId("node-b", 2), Cidr.parse("10.0.0.0/16")))
                    .isInstanceOf(FoundingException.class).hasMessageContaining("10.32.0.0/12")
                    .hasMessageContaining("10.0.0.0/16").hasMessageContaining("kube-system/weft-founding");
            // The founder itself, asking again (a restart before its ring was written), still founds.
            assertThat(new Founding(api.client(), kube("node-a")).bootstrap(a, RANGE))
                    .isInstanceOf(Bootstrap.Seeds.class);
        }
    }

    @Test
    void aForeignRecordIsRefusedNotOverwritten() throws Exception {
        try (MockApi api = new MockApi()) {
            api.client().configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("weft-founding").endMetadata().withData(Map.of("hello", "world")).build()).create();
            assertThatThrownBy(() -> new Founding(api.client(), kube("node-a")).bootstrap(new PeerId("node-a", 1),
                    RANGE)).isInstanceOf(FoundingException.class).hasMessageContaining("no 'range'");
            assertThat(api.client().configMaps().inNamespace("kube-system").withName("weft-founding").get().getData())
                    .containsEntry("hello", "world");
        }
    }

    @Test
    void withoutTheApiServerANewInstallNeitherFoundsNorJoins() throws Exception {
        try (MockApi api = new MockApi()) {
            KubernetesClient client = api.client();
            api.stopServer();
            assertThatThrownBy(() -> new Founding(client, kube("node-a"), 2, Duration.ofMillis(10))
                    .bootstrap(new PeerId("node-a", 1), RANGE)).isInstanceOf(FoundingException.class)
                    .hasMessageContaining("cannot read or create");
        }
    }
}
