package dev.weft.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One node's pods: a loop of ADD and DEL through the real weft-ipam plugin (native build), as a runtime would call
 * it, recording every acknowledged address in the {@link Ledger}. A failed ADD is followed by a DEL, as runtimes do.
 * The loop can be paused between calls, so checkpoints look at a still picture.
 */
final class Workload implements Runnable {
    /**
     * A network name other than the default "weft", so holds travel and are stored with their network: with
     * "weft-e2e" this test once found a daemon that wrote holds without their network and then refused its own
     * data folder after a restart (see docs/reliability.md).
     */
    static final String NETWORK = "weft-e2e";
    static final String CONFIG = "{\"cniVersion\":\"1.0.0\",\"name\":\"" + NETWORK + "\",\"ipam\":{\"type\":"
            + "\"weft-ipam\"}}";
    /** The plugin's own wait for weftd; the call itself is given far longer before it counts as hung. */
    static final int PLUGIN_TIMEOUT_S = 20;
    static final int HUNG_AFTER_S = 90;
    /** A breath between calls, so five loops leave CPU for the daemons on a shared 2-core machine. */
    static final int PACE_MS = 10;
    /** Pods on a node whose pods are kept alive (see {@link #keepPods}). */
    static final int KEPT_MAX = 70;
    private final Node node;
    private final Ledger ledger;
    private final Path plugin;
    private final Random random;
    private final List<String> pods = new ArrayList<>();
    private final List<String> undeleted = new ArrayList<>();
    private int next;
    private boolean paused;
    private boolean busy;
    private volatile boolean stopped;
    private volatile boolean keepPods;

    Workload(Node node, Ledger ledger, Path plugin, long seed) {
        this.node = node;
        this.ledger = ledger;
        this.plugin = plugin;
        this.random = new Random(seed);
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                enter();
                try {
                    step();
                } finally {
                    leave();
                }
                Thread.sleep(PACE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void enter() throws InterruptedException {
        while (paused && !stopped) {
            wait();
        }
        busy = true;
    }

    private synchronized void leave() {
        busy = false;
        notifyAll();
    }

    /** Returns once the call in flight (if any) has finished; no new call starts until {@link #resume()}. */
    synchronized void pause() throws InterruptedException {
        paused = true;
        while (busy) {
            wait();
        }
    }

    synchronized void resume() {
        paused = false;
        notifyAll();
    }

    synchronized void stop() {
        stopped = true;
        paused = false;
        notifyAll();
    }

    private void step() {
        if (!undeleted.isEmpty()) {
            String c = undeleted.remove(0);
            del(c);
            return;
        }
        if (keepPods) {
            if (pods.size() < KEPT_MAX) {
                add(node.name + "-c" + next++);
            }
            return;
        }
        if (pods.size() < 6 || (pods.size() < 40 && random.nextInt(100) < 55)) {
            add(node.name + "-c" + next++);
        } else {
            del(pods.remove(random.nextInt(pods.size())));
        }
    }

    private void add(String container) {
        long at = System.currentTimeMillis();
        Sh r = call("ADD", container);
        if (r.timedOut()) {
            ledger.violation("ADD " + container + " on " + node.name + " hung past " + HUNG_AFTER_S + " s");
            undeleted.add(container);
            return;
        }
        JsonNode out = parse(r.out());
        if (r.exit() == 0 && out != null && out.path("ips").path(0).has("address")) {
            String cidr = out.path("ips").path(0).path("address").asText();
            ledger.acknowledged(node.index, container, cidr.substring(0, cidr.indexOf('/')), at);
            node.cniCache().added(NETWORK, container, "eth0", CONFIG, r.out());
            pods.add(container);
            return;
        }
        int code = out == null ? -1 : out.path("code").asInt(-1);
        if (code == 11) {
            ledger.tryLater();
        } else {
            ledger.violation("ADD " + container + " on " + node.name + " answered neither an address nor code 11: exit "
                    + r.exit() + " " + r.out() + r.err());
        }
        undeleted.add(container); // the runtime DELs after a failed ADD: the daemon may have allocated after all
    }

    /**
     * With {@code keep}, the pods running now live on: only new ones are ADDed (up to {@value #KEPT_MAX}), none is
     * DELed, so a succession finds them all still in libcni's cache.
     */
    void keepPods(boolean keep) {
        keepPods = keep;
    }

    /**
     * The node was reinstalled and its pods died with it: nothing of theirs is DELed any more (the runtime
     * that knew them is gone). Call while paused.
     */
    void forgetPods() {
        pods.clear();
        undeleted.clear();
    }

    /** DEL of everything this loop ADDed (a node drained before a planned leave). */
    void drain() {
        undeleted.addAll(pods);
        pods.clear();
        while (!undeleted.isEmpty()) {
            del(undeleted.remove(0));
        }
    }

    private void del(String container) {
        ledger.releasing(container);
        Sh r = call("DEL", container);
        if (r.timedOut()) {
            ledger.violation("DEL " + container + " on " + node.name + " hung past " + HUNG_AFTER_S + " s");
        }
        if (r.exit() == 0) {
            node.cniCache().deleted(NETWORK, container, "eth0");
        } else {
            // a DEL the daemon refused for now ("try later" while the ring forms): the runtime retries it
            undeleted.add(container);
        }
    }

    private Sh call(String verb, String container) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", verb);
        env.put("CNI_CONTAINERID", container);
        env.put("CNI_NETNS", "/var/run/netns/e2e-pod-" + container);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", plugin.getParent().toString());
        env.put("WEFT_CNI_SOCKET", node.cniSocket().toString());
        env.put("WEFT_CNI_SPOOL", node.spool().toString());
        env.put("WEFT_CNI_TIMEOUT", String.valueOf(PLUGIN_TIMEOUT_S));
        return Sh.run(List.of(plugin.toString()), env, CONFIG, HUNG_AFTER_S);
    }

    private static JsonNode parse(String text) {
        try {
            return text.isBlank() ? null : Node.JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
