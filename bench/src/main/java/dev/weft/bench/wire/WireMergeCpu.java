package dev.weft.bench.wire;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@link WireMergeBenchmark}'s measures in thread CPU time rather than wall-clock time: on a machine
 * shared with other jobs, JMH's figures include the time the thread waited for a core, and this does not
 * (it still pays for cache and frequency contention, so it too is an upper bound). Run:
 * {@code java -cp bench/target/weft-benchmarks.jar dev.weft.bench.wire.WireMergeCpu [rounds] [opsPerRound]
 * [measure,measure...]} (all measures when none are named).
 */
public final class WireMergeCpu {
    private WireMergeCpu() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        WireMergeBenchmark b = new WireMergeBenchmark();
        b.peers = 1000;
        b.changed = 0.01;
        b.build();
        System.out.printf("whole ring of %d entries, %d bytes; thread CPU per operation over %d rounds of %d%n",
                b.ours.size(), b.theirs.length, rounds, ops);
        // One JVM per path gives each the compiled code it would have alone (JMH forks for the same reason):
        // the paths share code (RingColumns), so measuring one after another skews the later ones.
        java.util.Set<String> only = args.length > 2 ? java.util.Set.of(args[2].split(",")) : null;
        java.util.Map<String, Callable<Object>> measures = new java.util.LinkedHashMap<>();
        measures.put("parse", b::parse);
        measures.put("decodeGenerated", b::decodeGenerated);
        measures.put("decodeAndMergeGenerated", b::decodeAndMergeGenerated);
        measures.put("decode", b::decode);
        measures.put("decodeAndMerge", b::decodeAndMerge);
        measures.put("decodeAndMergeInTurn", b::decodeAndMergeInTurn);
        measures.put("decodeAndMergeCold", b::decodeAndMergeCold);
        for (var m : measures.entrySet()) {
            if (only == null || only.contains(m.getKey())) {
                report(m.getKey(), m.getValue(), rounds, ops);
            }
        }
    }

    private static void report(String name, Callable<Object> op, int rounds, int ops) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Object sink = null;
        for (int i = 0; i < ops * 3; i++) {
            sink = op.call(); // warm-up: compiled before measured
        }
        double[] micros = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                sink = op.call();
            }
            micros[r] = (threads.getCurrentThreadCpuTime() - t0) / 1e3 / ops;
        }
        Arrays.sort(micros);
        System.out.printf("%-24s min %7.1f us  median %7.1f us  max %7.1f us  (%s)%n", name, micros[0],
                micros[rounds / 2], micros[rounds - 1], sink == null ? "-" : sink.getClass().getSimpleName());
    }
}
