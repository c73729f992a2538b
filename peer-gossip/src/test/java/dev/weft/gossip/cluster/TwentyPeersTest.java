package dev.weft.gossip.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Input;
import dev.weft.core.space.Attachment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty real cores converge over mutual-TLS gRPC from two seed addresses, and the test reports what goes
 * on the wire per peer per gossip round (500 ms): idle, and with every peer allocating and releasing one
 * address per second. Bytes are protobuf frame bytes as counted by the transport (HTTP/2 and TLS framing
 * not included).
 */
class TwentyPeersTest {
    private static final int N = 20;
    private static final long ROUND_MILLIS = 500;
    private static final String[] CORE_KINDS = {"digest", "gossip", "space_request", "space_grant", "space_denied",
            "prepare", "promise", "accept", "accepted", "nack"};

    @Test
    void twentyPeersConvergeAndReportBytesPerPeerPerRound(@TempDir Path dir) throws Exception {
        TestCa ca = TestCa.in(dir.resolve("ca"), "test CA");
        try (TestCluster c = new TestCluster(ca.credentials(), TestCluster.testBounds()).startSeeds(N, 2)) {
            TestCluster.await("converged", Duration.ofSeconds(90), c::converged, c::describe);
            Thread.sleep(1_500); // let forwarded deltas and free reports of the founding settle

            Map<String, Long> before = totals(c);
            long t0 = System.nanoTime();
            Thread.sleep(10_000);
            Map<String, Long> idle = minus(totals(c), before);
            double idleRounds = (System.nanoTime() - t0) / 1e6 / ROUND_MILLIS;
            assertThat(c.converged()).isTrue();

            before = totals(c);
            t0 = System.nanoTime();
            for (int second = 0; second < 10; second++) {
                for (int i = 0; i < N; i++) {
                    Attachment a = new Attachment("churn-" + second, "eth0");
                    CoreDriver d = c.drivers.get(i);
                    d.submit(id -> new Input.Allocate(id, a, null));
                    if (second > 0) {
                        Attachment old = new Attachment("churn-" + (second - 1), "eth0");
                        d.submit(id -> new Input.Release(id, old));
                    }
                }
                Thread.sleep(1_000);
            }
            Map<String, Long> churn = minus(totals(c), before);
            double churnRounds = (System.nanoTime() - t0) / 1e6 / ROUND_MILLIS;
            TestCluster.await("converged after churn", Duration.ofSeconds(30), c::converged, c::describe);

            double idleCore = core(idle) / (double) N / idleRounds;
            double idleAll = idle.getOrDefault("bytes.out", 0L) / (double) N / idleRounds;
            double churnCore = core(churn) / (double) N / churnRounds;
            double churnAll = churn.getOrDefault("bytes.out", 0L) / (double) N / churnRounds;
            System.out.printf("%n[wire] %d peers, gossip round %d ms, bytes per peer per round:%n"
                    + "[wire]   idle : %.1f core messages, %.1f with the transport's own (known-peers lists)%n"
                    + "[wire]   churn: %.1f core messages, %.1f with the transport's own"
                    + " (each peer allocates and releases one address per second)%n"
                    + "[wire]   idle by kind  : %s%n[wire]   churn by kind : %s%n",
                    N, ROUND_MILLIS, idleCore, idleAll, churnCore, churnAll, byKind(idle), byKind(churn));

            // Idle, nothing changes: only digests travel, never a ring (a digest frame is ~40 bytes).
            assertThat(idle.getOrDefault("bytes.out.gossip", 0L)).isZero();
            assertThat(idleCore).isPositive().isLessThan(200);
            assertThat(churn.getOrDefault("bytes.out.gossip", 0L)).isPositive();
            assertThat(c.sum("rejects.malformed") + c.sum("rejects.bad_shape") + c.sum("rejects.unauthenticated")).isZero();
        }
    }

    private static Map<String, Long> totals(TestCluster c) {
        Map<String, Long> sum = new TreeMap<>();
        for (CoreDriver d : c.drivers) {
            d.transport().counters().forEach((k, v) -> {
                if (k.startsWith("bytes.out") || k.startsWith("messages.out")) {
                    sum.merge(k, v, Long::sum);
                }
            });
        }
        return sum;
    }

    private static Map<String, Long> minus(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new TreeMap<>();
        a.forEach((k, v) -> out.put(k, v - b.getOrDefault(k, 0L)));
        return out;
    }

    private static long core(Map<String, Long> m) {
        long n = 0;
        for (String k : CORE_KINDS) {
            n += m.getOrDefault("bytes.out." + k, 0L);
        }
        return n;
    }

    private static String byKind(Map<String, Long> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> {
            if (k.startsWith("bytes.out.") && v > 0) {
                b.append(k.substring(10)).append('=').append(v).append("B/")
                        .append(m.getOrDefault("messages.out." + k.substring(10), 0L)).append("msg ");
            }
        });
        return b.toString().trim();
    }
}
