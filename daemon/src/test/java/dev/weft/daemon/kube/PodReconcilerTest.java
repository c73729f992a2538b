package dev.weft.daemon.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.node.Input;
import dev.weft.core.node.Result;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.cni.Note;
import dev.weft.daemon.loop.CoreGateway;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciliation of a real core (weftd's event loop on a RocksDB store in a temporary folder) with the pods
 * of fabric8's CRUD mock API server. Time is the reconciler's clock, moved by the test.
 */
class PodReconcilerTest {
    private static final String NODE = "node-1";
    private static final Cidr SPACE = Cidr.parse("10.32.0.0/12");
    private static final long GRACE = 120_000;

    @TempDir
    Path dir;
    private MockApi api;
    private KubernetesClient client;
    private Daemon daemon;
    private CoreGateway core;
    private final Map<Attachment, Note> notes = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong(1_000);
    private PodReconciler reconciler;

    @BeforeEach
    void start() throws Exception {
        Prerequisites.epoll();
        api = new MockApi();
        client = api.client();
        daemon = TestDaemons.start(TestDaemons.lone(dir, SPACE.toString()));
        core = daemon.core();
        awaitReady();
        reconciler = new PodReconciler(client, NODE, core, SPACE, GRACE, a -> Optional.ofNullable(notes.get(a)),
                n -> notes.remove(new Attachment(n.containerId(), n.ifname(), n.network())), clock::get);
    }

    @AfterEach
    void stop() {
        if (reconciler != null) {
            reconciler.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (api != null) {
            api.close();
        }
    }

    private void awaitReady() throws InterruptedException {
        for (int i = 0; i < 600 && core.read(p -> p.ring() == null).join(); i++) {
            Thread.sleep(50);
        }
    }

    /** A pod's hold made as a CNI ADD makes it: an allocation, and the note naming the pod. */
    private long addPod(Pod pod, String container) throws Exception {
        Attachment a = new Attachment(container, "eth0");
        Result r = core.submit(id -> new Input.Allocate(id, a, null)).get();
        long address = ((Result.Assigned) r).address();
        notes.put(a, new Note("weft", container, "eth0", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                pod.getMetadata().getUid(), 1));
        return address;
    }

    private Pod create(Pod p) {
        return client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
    }

    private long held(Attachment a) {
        return core.read(p -> p.space().addressOf(a)).join();
    }

    private Long holderOf(long address) {
        return core.read(p -> p.space().holder(address) == null ? null : address).join();
    }

    @Test
    void aGonePodsHoldIsReleasedOnlyAfterTheGrace() throws Exception {
        Pod web = create(MockApi.pod("shop", "web", null, NODE, null));
        Pod db = create(MockApi.pod("shop", "db", null, NODE, null));
        long webAddress = addPod(web, "c-web");
        long dbAddress = addPod(db, "c-db");
        assertThat(reconciler.pass().released()).isEmpty();

        client.pods().inNamespace("shop").withName("web").delete();
        assertThat(reconciler.pass().released()).isEmpty(); // the first list that misses it starts the count
        clock.addAndGet(GRACE - 1);
        assertThat(reconciler.pass().released()).isEmpty();
        assertThat(held(new Attachment("c-web", "eth0"))).isEqualTo(webAddress);
        clock.addAndGet(1);
        assertThat(reconciler.pass().released()).containsExactly(new Hold(new Attachment("c-web", "eth0"), webAddress));
        assertThat(held(new Attachment("c-web", "eth0"))).isNegative();
        assertThat(notes).doesNotContainKey(new Attachment("c-web", "eth0"));
        assertThat(held(new Attachment("c-db", "eth0"))).isEqualTo(dbAddress);
        assertThat(notes).containsKey(new Attachment("c-db", "eth0"));
    }

    @Test
    void aPodReplacedUnderTheSameNameLosesTheOldHoldAndTheGatewayIsKept() throws Exception {
        Pod first = create(MockApi.pod("db", "db-0", null, NODE, null));
        long old = addPod(first, "c-old");
        Attachment gateway = new Attachment("weft:gateway", "space", "weft");
        long gw = ((Result.Assigned) core.submit(id -> new Input.Allocate(id, gateway, null)).get()).address();
        client.pods().inNamespace("db").withName("db-0").delete();
        create(MockApi.pod("db", "db-0", null, NODE, null)); // the StatefulSet's next pod: same name, new uid
        reconciler.pass();
        clock.addAndGet(GRACE);
        assertThat(reconciler.pass().released()).extracting(Hold::address).containsExactly(old);
        assertThat(held(gateway)).isEqualTo(gw);
    }

    @Test
    void aRunningPodsUnheldAddressIsClaimedForItOnThisNodeOnly() throws Exception {
        Pod weave = create(MockApi.pod("legacy", "weave-app", null, NODE, "10.32.7.7"));
        create(MockApi.pod("legacy", "elsewhere", null, "node-2", "10.32.7.8"));
        create(new PodBuilder(MockApi.pod("kube-system", "proxy", null, NODE, "10.32.7.9")).editSpec()
                .withHostNetwork(true).endSpec().build());
        create(MockApi.pod("legacy", "outside", null, NODE, "192.168.3.3"));
        var outcome = reconciler.pass();
        Attachment claim = HoldState.claimOf(weave.getMetadata().getUid(), "10.32.7.7");
        assertThat(outcome.claimed()).containsExactly(new Hold(claim, IPv4.parse("10.32.7.7")));
        assertThat(held(claim)).isEqualTo(IPv4.parse("10.32.7.7"));
        assertThat(holderOf(IPv4.parse("10.32.7.8"))).isNull();
        assertThat(holderOf(IPv4.parse("10.32.7.9"))).isNull();
        // Claimed once: the next pass finds it covered, and keeps it while the pod runs.
        clock.addAndGet(10 * GRACE);
        var again = reconciler.pass();
        assertThat(again.claimed()).isEmpty();
        assertThat(again.released()).isEmpty();
        // An allocation never hands the claimed address out.
        for (int i = 0; i < 50; i++) {
            Attachment a = new Attachment("fresh-" + i, "eth0");
            long got = ((Result.Assigned) core.submit(id -> new Input.Allocate(id, a, null)).get()).address();
            assertThat(got).isNotEqualTo(IPv4.parse("10.32.7.7"));
        }
        client.pods().inNamespace("legacy").withName("weave-app").delete();
        reconciler.pass();
        clock.addAndGet(GRACE);
        assertThat(reconciler.pass().released()).extracting(Hold::attachment).containsExactly(claim);
    }

    @Test
    void withoutTheApiServerNothingIsReleased() throws Exception {
        Pod web = create(MockApi.pod("shop", "web", null, NODE, null));
        long address = addPod(web, "c-web");
        client.pods().inNamespace("shop").withName("web").delete();
        assertThat(reconciler.pass().listed()).isTrue();
        api.stopServer();
        clock.addAndGet(GRACE);
        var outcome = reconciler.pass();
        assertThat(outcome.listed()).isFalse();
        assertThat(outcome.released()).isEmpty();
        clock.addAndGet(100 * GRACE);
        assertThat(reconciler.pass().released()).isEmpty();
        assertThat(held(new Attachment("c-web", "eth0"))).isEqualTo(address);
    }
}
