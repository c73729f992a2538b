package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five real weftd processes, one per network namespace, joined by veths to a bridge in a namespace of their own,
 * with pods ADDed and DELed on every node through the native weft-ipam plugin while a seeded plan of faults runs:
 * kill -9 mid-burst and restart, a node cut off the bridge while it allocates, netem loss and delay, a planned
 * leave, an rmpeer refused because its peer is up and one of a peer that is truly down, then healing, then a data
 * folder wiped under live pods and a reinstall with the pods gone (both succeeded by the new install). At
 * checkpoints and at the end: no address held twice, nothing acknowledged lost, one ring with one live owner per
 * address, every ADD answered with an address or code 11. Then fuzzed peer and CNI frames, which must change
 * nothing and be counted as rejects.
 *
 * <p>{@code -Dweft.e2e.seed=N} picks the plan; {@code -Dweft.e2e.minutes=M} adds rounds of kills, cuts and wipes among
 * the survivors until M minutes have passed (e2e/long-run.sh). Needs root, iproute2 and tc.
 */
class ClusterUnderFaultsIT {
    static final int NODES = 5;
    static final String RANGE = "10.40.0.0/16";
    static final long READY_MS = 180_000;
    static final long CONVERGE_MS = 240_000;

    @TempDir
    Path tmp;
    private Lan lan;
    private final Map<Integer, Node> nodes = new HashMap<>();
    private final Map<Integer, Workload> loads = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Ledger ledger = new Ledger();
    private final List<String> violations = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final Set<Integer> members = new LinkedHashSet<>();
    private Thread cleanupHook;
    private long started;
    private int faults;

    @Test
    void keepsItsPromisesUnderFaults() throws Exception {
        Prerequisites.require("0".equals(Sh.run(List.of("id", "-u")).out().trim()), "root (network namespaces)");
        Prerequisites.require(Sh.run(List.of("ip", "netns", "list")).exit() == 0, "iproute2 with netns support");
        Prerequisites.require(Sh.run(List.of("tc", "-V")).exit() == 0, "tc from iproute2");
        Path plugin = Path.of(System.getProperty("weft.ipam.native", "../cni-shim/target/weft-ipam/native/weft-ipam"));
        assertThat(Files.isExecutable(Node.home().resolve("bin/weftd"))).as("weftd built at " + Node.home()
                + "/bin/weftd: run mvn verify from the root, which packages daemon first").isTrue();
        assertThat(Files.isExecutable(plugin)).as("native weft-ipam built at " + plugin).isTrue();
        long seed = Long.parseLong(System.getProperty("weft.e2e.seed", "1").trim());
        double minutes = Double.parseDouble(System.getProperty("weft.e2e.minutes", "1").trim());
        FaultPlan plan = FaultPlan.of(seed, NODES);
        started = System.nanoTime();
        event("plan " + plan.describe() + ", " + minutes + " minutes");
        try {
            run(plan, plugin, minutes);
        } catch (Throwable t) {
            throw new AssertionError("e2e failed with seed " + seed + " (replay: e2e/long-run.sh " + seed + " "
                    + minutes + ")\n" + String.join("\n", events), t);
        }
        writeReport(plan);
        assertThat(violations).as("violations with seed " + seed + "\n" + String.join("\n", events)).isEmpty();
    }

    private void run(FaultPlan plan, Path plugin, double minutes) throws Exception {
        lan = Lan.create();
        cleanupHook = new Thread(this::cleanUp, "e2e-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        for (int i = 0; i < NODES; i++) {
            lan.addNode(i);
        }
        for (int i = 0; i < NODES; i++) {
            Node n = new Node(lan, i, NODES, tmp.resolve("n" + i), RANGE);
            nodes.put(i, n);
            members.add(i);
            n.start();
        }
        for (Node n : nodes.values()) {
            n.awaitReady(READY_MS);
        }
        event("5 weftd ready in " + lan.suffix + " namespaces");
        for (Node n : nodes.values()) {
            Workload w = new Workload(n, ledger, plugin, plan.seed() * 31 + n.index);
            loads.put(n.index, w);
            Thread t = new Thread(w, "pods-" + n.name);
            threads.add(t);
            t.start();
        }
        awaitMore(20, "the first pods");
        checkpoint("after the first pods");

        // kill -9 in the middle of a burst, then restart on the same data folder
        Node killed = nodes.get(plan.killed());
        killed.kill9();
        fault("kill -9 " + killed.name + " mid-burst");
        awaitMore(10, "pods on the others while " + killed.name + " is down");
        killed.start();
        killed.awaitReady(READY_MS);
        event(killed.name + " restarted");

        // a node dies for good (its pods with it): rmpeer must wait until nobody has heard from it recently
        Node dead = nodes.get(plan.dead());
        stopLoad(plan.dead());
        dead.kill9();
        members.remove(plan.dead());
        ledger.forgetNode(plan.dead());
        fault("kill -9 " + dead.name + " for good");
        checkpoint("after the restart of " + killed.name);

        // a minority of one cut off while it allocates, and loss and delay on another node
        lan.cut(plan.cut());
        fault("cut n" + plan.cut() + " off the bridge");
        if (lan.degrade(plan.degraded(), plan.lossPercent(), plan.delayMs())) {
            fault("netem " + plan.lossPercent() + "% loss, " + plan.delayMs() + " ms delay on n" + plan.degraded());
        } else {
            event("no netem qdisc in this kernel: n" + plan.degraded() + " keeps a clean link");
        }
        long before = ledger.acknowledgedCount();
        await("n" + plan.cut() + " allocating while cut off", 120_000,
                () -> ledger.liveOn(plan.cut()).size() >= 3 && ledger.acknowledgedCount() >= before + 20);
        // rmpeer of a node that is up is refused
        Sh refused = nodes.get(plan.witness()).cliRun("rmpeer", "n" + plan.degraded());
        if (refused.exit() != 4) {
            violations.add("rmpeer of n" + plan.degraded() + " (up) was not refused with exit 4: " + refused);
        }
        fault("rmpeer of live n" + plan.degraded() + " refused (exit " + refused.exit() + ")");
        checkpoint("while n" + plan.cut() + " is cut off");
        lan.heal(plan.cut());
        lan.heal(plan.degraded());
        event("healed n" + plan.cut() + " and n" + plan.degraded());

        // a planned leave: the runtime drains the node's pods, then weft leave hands its ranges away
        leave(plan.leaver());

        // rmpeer of the dead node, once nobody has heard from it for long enough
        removeDead(plan.witness(), plan.dead());
        awaitOneRing("after leave and rmpeer");
        checkpoint("after leave and rmpeer");

        // one node's data folder wiped while its pods live on, another reinstalled with its pods gone: both come
        // back as new installs under their names and succeed their earlier selves once those are silent long enough
        List<String> kept = wipeWithPodsAlive(plan.wiped());
        List<String> gone = reinstall(plan.reinstalled());
        awaitSuccession(plan.wiped(), kept);
        awaitSuccession(plan.reinstalled(), List.of());
        Set<String> stale = heldOf(plan.reinstalled(), gone);
        if (stale != null && !stale.isEmpty()) {
            violations.add("n" + plan.reinstalled() + " still holds addresses for pods gone with its earlier install: "
                    + stale);
        }
        event("n" + plan.reinstalled() + " holds " + (stale == null ? "?" : stale.size()) + " of its " + gone.size()
                + " gone pods");
        awaitOneRing("after the wipe and the reinstall");
        checkpoint("after the wipe and the reinstall");

        // the long form: more kills and cuts among the survivors until the time is up
        Random r = new Random(plan.seed() ^ 0x5eed);
        while (elapsed().toSeconds() < minutes * 60) {
            List<Integer> alive = new ArrayList<>(members);
            int victim = alive.get(r.nextInt(alive.size()));
            int kind = r.nextInt(3);
            if (kind == 2) {
                awaitSuccession(victim, wipeWithPodsAlive(victim));
            } else if (kind == 0) {
                nodes.get(victim).kill9();
                fault("kill -9 n" + victim + " mid-burst");
                awaitMore(5, "pods while n" + victim + " is down");
                nodes.get(victim).start();
                nodes.get(victim).awaitReady(READY_MS);
            } else {
                lan.cut(victim);
                fault("cut n" + victim);
                long at = ledger.acknowledgedCount();
                await("pods while n" + victim + " is cut", 120_000, () -> ledger.acknowledgedCount() >= at + 15);
                lan.heal(victim);
            }
            awaitOneRing("after round " + faults);
            checkpoint("after round " + faults);
        }

        for (int i : members) {
            loads.get(i).pause();
        }
        awaitOneRing("at the end");
        checkpoint("at the end");
        for (int i : members) {
            loads.get(i).pause(); // the checkpoint resumed them: fuzz a quiet cluster
        }
        Fuzz.run(lan, nodes, members, violations, this::event);
        violations.addAll(ledger.violations());
        event("ledger: " + ledger.counts() + "; " + faults + " faults; " + violations.size() + " violations");
    }

    private void leave(int i) throws InterruptedException {
        Node n = nodes.get(i);
        stopLoad(i);
        loads.get(i).drain();
        Sh r = n.cliRun("leave");
        if (r.exit() != 0) {
            // the node's gateway address is a durable hold of its own, no pod's: only then is --force right
            JsonNode holds = n.cli("allocations");
            boolean onlyGateway = holds != null;
            for (JsonNode h : holds == null ? Node.JSON.createArrayNode() : holds) {
                onlyGateway &= h.path("container").asText().equals("weft:gateway");
            }
            if (!onlyGateway) {
                violations.add(n.name + " refused to leave with pods drained: " + r + " holds " + holds);
                return;
            }
            r = n.cliRun("leave", "--force");
        }
        if (r.exit() != 0) {
            violations.add(n.name + " could not leave: " + r);
            return;
        }
        n.close();
        members.remove(i);
        fault("planned leave of " + n.name + ": " + oneLine(r.out()));
    }

    /**
     * kill -9, the data folder deleted, restart: the pods and libcni's cache of them stay, and none of them is
     * DELed until the succession is done (new pods are still ADDed meanwhile, from space the new install is
     * granted).
     */
    private List<String> wipeWithPodsAlive(int i) throws Exception {
        Node n = nodes.get(i);
        loads.get(i).keepPods(true);
        n.kill9();
        List<String> pods = ledger.liveOn(i).stream().map(Ledger.Grant::container).toList();
        n.wipe(false);
        n.start();
        fault("data folder of " + n.name + " wiped while its " + pods.size() + " pods live on; restarted as a new"
                + " install");
        return pods;
    }

    /** The node and its pods gone (no DEL for them ever comes), then a fresh weftd under the same name. */
    private List<String> reinstall(int i) throws Exception {
        Node n = nodes.get(i);
        loads.get(i).pause();
        n.kill9();
        List<String> gone = ledger.liveOn(i).stream().map(Ledger.Grant::container).toList();
        ledger.forgetNode(i);
        loads.get(i).forgetPods();
        n.wipe(true);
        n.start();
        loads.get(i).resume();
        fault("reinstall of " + n.name + " with its " + gone.size() + " pods gone (data folder, CNI state and libcni's"
                + " cache wiped)");
        return gone;
    }

    /**
     * Until the node's status says its succession is done (after the grace period of its earlier install); then,
     * before its workload may DEL them, its new install must hold every one of the {@code kept} pods.
     */
    private void awaitSuccession(int i, List<String> kept) throws InterruptedException {
        Node n = nodes.get(i);
        n.awaitReady(READY_MS);
        String[] last = {""};
        try {
            await(n.name + "'s succession of its earlier install", CONVERGE_MS, () -> {
                JsonNode s = n.cli("status");
                last[0] = s == null ? "(no answer)" : s.path("succession").asText();
                return last[0].startsWith("done");
            });
            Set<String> held = kept.isEmpty() ? Set.of() : heldOf(i, kept);
            if (held != null && held.size() < kept.size()) {
                List<String> missing = new ArrayList<>(kept);
                missing.removeAll(held);
                violations.add(n.name + "'s successor does not hold " + missing.size() + " of the " + kept.size()
                        + " pods that outlived its data folder: " + missing);
            }
            if (!kept.isEmpty()) {
                event(n.name + "'s successor holds " + (held == null ? "?" : held.size()) + " of the " + kept.size()
                        + " pods that outlived its data folder");
            }
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; its status said: " + last[0] + "\n" + n.log(), e);
        } finally {
            loads.get(i).keepPods(false);
        }
        event(n.name + " succession " + last[0]);
    }

    /** Which of {@code containers} node i holds now; null (and a violation) when it does not answer. */
    private Set<String> heldOf(int i, List<String> containers) {
        JsonNode holds = nodes.get(i).cli("allocations", "--limit", "30000");
        if (holds == null) {
            violations.add(nodes.get(i).name + " did not list its allocations after its succession");
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode h : holds) {
            if (containers.contains(h.path("container").asText())) {
                out.add(h.path("container").asText());
            }
        }
        return out;
    }

    private void removeDead(int witness, int dead) throws InterruptedException {
        Node w = nodes.get(witness);
        Sh[] last = new Sh[1];
        await("rmpeer n" + dead + " accepted", CONVERGE_MS, () -> {
            last[0] = w.cliRun("rmpeer", "n" + dead);
            if (last[0].exit() != 0 && last[0].exit() != 4) {
                violations.add("rmpeer n" + dead + " failed other than refused (exit " + last[0].exit() + "): "
                        + last[0].out() + last[0].err());
                return true;
            }
            return last[0].exit() == 0;
        });
        fault("rmpeer of dead n" + dead + " on " + w.name + ": " + oneLine(last[0].out()));
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private void stopLoad(int i) throws InterruptedException {
        loads.get(i).pause();
        loads.get(i).stop();
    }

    private void awaitMore(int count, String what) throws InterruptedException {
        long at = ledger.acknowledgedCount();
        await(what, 180_000, () -> ledger.acknowledgedCount() >= at + count);
    }

    private void awaitOneRing(String when) throws InterruptedException {
        List<Node> live = members.stream().map(nodes::get).toList();
        List<List<String>> last = new ArrayList<>(List.of(List.of()));
        try {
            await("one ring " + when, CONVERGE_MS, () -> {
                last.set(0, Checks.oneRing(live));
                return last.get(0).isEmpty();
            });
            event("one ring " + when + " (" + Checks.ringOf(live.get(0)).split("\n").length + " ranges)");
        } catch (AssertionError e) {
            violations.add("no single ring " + when + ": " + last.get(0));
        }
    }

    private void checkpoint(String when) throws InterruptedException {
        List<Integer> live = new ArrayList<>(members);
        for (int i : live) {
            loads.get(i).pause();
        }
        try {
            Map<Node, JsonNode> holds = Checks.holds(live.stream().map(nodes::get).toList());
            List<String> found = new ArrayList<>(Checks.noAddressTwice(holds));
            found.addAll(Checks.acknowledgedStillHeld(ledger, holds));
            found.addAll(ledger.violations());
            found.forEach(v -> violations.add(when + ": " + v));
            event("checkpoint " + when + ": " + ledger.counts() + ", " + found.size() + " violations");
        } finally {
            for (int i : live) {
                loads.get(i).resume();
            }
        }
    }

    private static void await(String what, long millis, Supplier<Boolean> condition) throws InterruptedException {
        Wait.until(what, millis, condition::get);
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private void fault(String what) {
        faults++;
        event("FAULT " + what);
    }

    private synchronized void event(String what) {
        String line = String.format("t+%5.1fs %s", elapsed().toMillis() / 1000.0, what);
        events.add(line);
        System.out.println("[e2e] " + line);
    }

    private void writeReport(FaultPlan plan) throws Exception {
        Path out = Path.of("target", "e2e-" + plan.seed() + ".txt");
        Files.createDirectories(out.getParent());
        List<String> lines = new ArrayList<>(events);
        lines.addAll(violations);
        Files.write(out, lines);
    }

    @AfterEach
    void cleanUp() {
        for (Workload w : loads.values()) {
            w.stop();
        }
        for (Thread t : threads) {
            try {
                t.join(Workload.HUNG_AFTER_S * 1000L + 5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Node.closeAll(nodes.values());
        if (lan != null) {
            lan.close();
            assertThat(lan.anyLeft()).as("no namespace of run " + lan.suffix + " left behind").isFalse();
        }
        if (cleanupHook != null && Thread.currentThread() != cleanupHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs this same cleanup
            }
            cleanupHook = null;
        }
    }
}
