package dev.weft.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The fuzzing phase, run on a healed, quiet cluster: hostile peer frames from inside one node's namespace to
 * another's peer port, hostile CNI frames on a weftd's CNI socket. Afterwards every weftd must still run, the ring
 * must have the same ranges with the same owners, and the target must have counted each peer case as a reject in /metrics.
 */
final class Fuzz {
    private Fuzz() {}

    static void run(Lan lan, Map<Integer, Node> nodes, Set<Integer> members, List<String> violations,
            Consumer<String> log) {
        List<Integer> live = new ArrayList<>(members);
        Node from = nodes.get(live.get(0));
        Node target = nodes.get(live.get(live.size() - 1));
        String ringBefore = Checks.ownership(target);
        double rejectsBefore = rejects(target.metrics());

        List<String> java = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                PeerFrameFuzzer.class.getName(), Lan.address(target.index), String.valueOf(Node.PEER_PORT), "7");
        Sh sent = Sh.run(lan.exec(from.index, java), Map.of(), null, 180);
        if (sent.exit() != 0) {
            violations.add("the peer-frame fuzzer failed (" + sent.exit() + "): " + sent.out() + sent.err());
            return;
        }
        int cases = Integer.parseInt(sent.out().trim());
        List<String> cni = CniFrameFuzzer.run(target.cniSocket(), 7);
        cni.forEach(p -> violations.add("CNI fuzz: " + p));

        for (int i : live) {
            if (!nodes.get(i).alive()) {
                violations.add(nodes.get(i).name + " died under fuzzing:\n" + nodes.get(i).log());
            }
        }
        double counted = rejects(target.metrics()) - rejectsBefore;
        if (counted < cases) {
            violations.add(target.name + " counted " + counted + " peer rejects for " + cases + " hostile cases");
        }
        String ringAfter = Checks.ownership(target);
        if (ringBefore == null || !ringBefore.equals(ringAfter)) {
            violations.add("the ring changed under fuzzing:\n" + ringBefore + "vs\n" + ringAfter);
        }
        log.accept("fuzz: " + cases + " hostile peer cases from " + from.name + "'s namespace to " + target.name
                + ", counted " + (long) counted + " rejects; 13 hostile CNI frames, " + cni.size() + " problems");
    }

    static double rejects(String page) {
        double total = 0;
        for (String family : List.of("oversized", "malformed", "bad_shape", "wrong_cluster", "wrong_version",
                "unauthenticated", "out_of_order")) {
            total += Node.sum(page, "weft_transport_rejects_" + family + "_total");
        }
        return total;
    }
}
