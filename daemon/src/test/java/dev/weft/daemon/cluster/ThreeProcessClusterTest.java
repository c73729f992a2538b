package dev.weft.daemon.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.weft.daemon.api.v1.AllocateReply;
import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.AllocationsRequest;
import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.api.v1.CheckReply;
import dev.weft.daemon.api.v1.CheckRequest;
import dev.weft.daemon.api.v1.Hold;
import dev.weft.daemon.api.v1.StatusReply;
import dev.weft.daemon.api.v1.WeftGrpc;
import dev.weft.daemon.support.Prerequisites;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three weftd processes on 127.0.0.2-4 form a cluster by seed list; allocations on each are unique; one is
 * killed with SIGKILL in the middle of a burst and restarted: every acknowledged allocation is still there
 * with its address, and no address is held twice anywhere. Then SIGTERM mid-burst: the batch in flight is
 * finished and nothing acknowledged is lost either.
 */
class ThreeProcessClusterTest {
    @TempDir
    Path dir;
    final List<WeftdProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (WeftdProcess p : nodes) {
            p.close();
        }
    }

    void startCluster() throws Exception {
        String[] names = {"a", "b", "c"};
        int base = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
        List<String> addrs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            addrs.add("127.0.0." + (i + 2) + ":" + (base + i));
        }
        for (int i = 0; i < 3; i++) {
            List<String> peers = new ArrayList<>(addrs);
            peers.remove(i);
            nodes.add(new WeftdProcess(names[i], dir.resolve(names[i]), List.of("--range", "10.80.0.0/16",
                    "--listen", addrs.get(i), "--peers", String.join(",", peers), "--bootstrap", "seeds=a,b,c",
                    "--plaintext", "--metrics-address", "127.0.0." + (i + 2) + ":0", "--tick-ms", "50")));
        }
        for (WeftdProcess p : nodes) {
            p.start();
        }
        for (WeftdProcess p : nodes) {
            StatusReply s = p.awaitReady(90_000);
            assertThat(s.getRingEntries()).isGreaterThanOrEqualTo(3);
        }
    }

    static AllocateRequest add(String cid) {
        return AllocateRequest.newBuilder().setAttachment(Attachment.newBuilder().setContainerId(cid).setIfname("eth0"))
                .build();
    }

    static Map<String, String> holds(WeftdProcess p) {
        Map<String, String> out = new HashMap<>();
        for (Hold h : p.api().blocking().allocations(AllocationsRequest.newBuilder().setLimit(30_000).build())
                .getHoldsList()) {
            out.put(h.getAttachment().getContainerId() + "/" + h.getAttachment().getIfname(), h.getAddress());
        }
        return out;
    }

    /** Every address held anywhere, exactly once. */
    void assertNoAddressHeldTwice() {
        List<String> all = new ArrayList<>();
        for (WeftdProcess p : nodes) {
            all.addAll(holds(p).values());
        }
        assertThat(all).doesNotHaveDuplicates();
    }

    @Test
    void formsBySeedsAllocatesUniquelyAndKeepsAcknowledgedAddressesThroughKillNineAndSigterm() throws Exception {
        Prerequisites.epoll();
        startCluster();
        List<String> given = new ArrayList<>();
        for (WeftdProcess p : nodes) {
            WeftGrpc.WeftBlockingStub api = p.api().blocking();
            for (int i = 0; i < 100; i++) {
                given.add(api.allocate(add(p.name + "-pod-" + i)).getAddress());
            }
        }
        assertThat(given).hasSize(300).doesNotHaveDuplicates();
        assertNoAddressHeldTwice();

        WeftdProcess victim = nodes.get(1);
        String identity = victim.awaitReady(1_000).getSelf();
        Map<String, String> acked = burstUntil(victim, "burst-", 500, victim::kill);

        victim.start();
        StatusReply back = victim.awaitReady(90_000);
        assertThat(back.getSelf()).as("the same install comes back").isEqualTo(identity);
        Map<String, String> held = holds(victim);
        assertThat(held).containsAllEntriesOf(acked);
        for (Map.Entry<String, String> e : acked.entrySet()) {
            String cid = e.getKey().substring(0, e.getKey().indexOf('/'));
            CheckReply c = victim.api().blocking().check(CheckRequest.newBuilder()
                    .setAttachment(Attachment.newBuilder().setContainerId(cid).setIfname("eth0")).build());
            assertThat(c.getAddress()).isEqualTo(e.getValue());
        }
        // Asking again after the restart gives the acknowledged address, never a new one.
        assertThat(victim.api().blocking().allocate(add("burst-0")).getAddress()).isEqualTo(acked.get("burst-0/eth0"));
        // The cluster still allocates on every node, and nothing is held twice.
        for (WeftdProcess p : nodes) {
            p.api().blocking().allocate(add(p.name + "-after"));
        }
        assertNoAddressHeldTwice();

        // SIGTERM in the middle of a burst: the batch in flight is finished, the store closed, nothing lost.
        Map<String, String> beforeStop = holds(victim);
        Map<String, String> ackedBeforeTerm = burstUntil(victim, "term-", 300, victim::terminate);
        assertThat(victim.exitCode()).as("exit after SIGTERM").isIn(0, 143);
        assertThat(victim.log()).contains("stopping: finishing the batch in flight");
        victim.start();
        assertThat(victim.awaitReady(90_000).getSelf()).isEqualTo(identity);
        Map<String, String> afterTerm = holds(victim);
        assertThat(afterTerm).containsAllEntriesOf(beforeStop).containsAllEntriesOf(ackedBeforeTerm);
        assertNoAddressHeldTwice();
    }

    /**
     * Allocates on {@code node}, 32 calls in flight, until {@code atLeast} are acknowledged; then runs
     * {@code stop} while calls are still in flight, and returns every acknowledged attachment and address.
     */
    static Map<String, String> burstUntil(WeftdProcess node, String prefix, int atLeast, Stopper stop)
            throws Exception {
        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicBoolean stopped = new AtomicBoolean();
        Thread burst = new Thread(() -> {
            WeftGrpc.WeftFutureStub api = node.api().async();
            ArrayDeque<Map.Entry<String, ListenableFuture<AllocateReply>>> inFlight = new ArrayDeque<>();
            for (int i = 0; !stopped.get() || !inFlight.isEmpty(); ) {
                if (!stopped.get() && inFlight.size() < 32) {
                    String cid = prefix + i++;
                    inFlight.add(Map.entry(cid, api.allocate(add(cid))));
                    continue;
                }
                var e = inFlight.poll();
                try {
                    acked.put(e.getKey() + "/eth0", e.getValue().get().getAddress());
                } catch (ExecutionException | InterruptedException lost) {
                    // not acknowledged: the daemon stopped before it answered
                }
            }
        });
        burst.start();
        while (acked.size() < atLeast && burst.isAlive()) {
            Thread.sleep(5);
        }
        stop.stop();
        stopped.set(true);
        burst.join(30_000);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(atLeast);
        return acked;
    }

    interface Stopper {
        void stop() throws Exception;
    }
}
