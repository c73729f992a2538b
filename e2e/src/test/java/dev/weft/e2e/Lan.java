package dev.weft.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The test's own network: a hub namespace holding a bridge, and one namespace per node joined to it by a veth
 * pair, with addresses from {@link #SUBNET} that exist only inside these namespaces. Every link is made inside the
 * hub namespace (never in the machine's own), and every name carries a per-run random suffix, so runs in parallel
 * never collide. {@link #close()} deletes the namespaces, which takes the bridge and the veths with them.
 */
final class Lan implements AutoCloseable {
    static final String SUBNET = "10.123.0.0/24";
    final String suffix;
    final String hub;
    private final List<String> nodes = new ArrayList<>();

    private Lan(String suffix) {
        this.suffix = suffix;
        this.hub = "weh-" + suffix;
    }

    /** The hub alone; {@link #addNode} joins nodes. The hub is deleted by {@link #close()} even if a step fails. */
    static Lan create() {
        Lan lan = new Lan(Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF)));
        try {
            Sh.ok(List.of("ip", "netns", "add", lan.hub));
            lan.ip(lan.hub, "link", "set", "lo", "up");
            lan.ip(lan.hub, "link", "add", "br0", "type", "bridge");
            lan.ip(lan.hub, "link", "set", "br0", "up");
            return lan;
        } catch (RuntimeException | AssertionError e) {
            lan.close();
            throw e;
        }
    }

    String namespace(int i) {
        return "wen" + i + "-" + suffix;
    }

    /** 10.123.0.(10+i): node i's address, on its eth0, inside its namespace only. */
    static String address(int i) {
        return "10.123.0." + (10 + i);
    }

    private static String hubSide(int i) {
        return "v" + i;
    }

    void addNode(int i) {
        String ns = namespace(i);
        Sh.ok(List.of("ip", "netns", "add", ns));
        nodes.add(ns);
        ip(ns, "link", "set", "lo", "up");
        ip(hub, "link", "add", hubSide(i), "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip(hub, "link", "set", hubSide(i), "master", "br0");
        ip(hub, "link", "set", hubSide(i), "up");
        ip(ns, "addr", "add", address(i) + "/24", "dev", "eth0");
        ip(ns, "link", "set", "eth0", "up");
    }

    /** Cuts node i off the bridge (its own side stays up, so its sockets see silence, not an error). */
    void cut(int i) {
        ip(hub, "link", "set", hubSide(i), "down");
    }

    void heal(int i) {
        ip(hub, "link", "set", hubSide(i), "up");
        Sh.run(List.of("tc", "-n", namespace(i), "qdisc", "del", "dev", "eth0", "root"));
    }

    /**
     * Loss and delay on node i's outgoing traffic (tc netem), until {@link #heal}. Returns false, changing nothing,
     * when the kernel has no netem qdisc (sch_netem is a module that containers often lack): cuts still run then.
     */
    boolean degrade(int i, int lossPercent, int delayMs) {
        Sh r = Sh.run(List.of("tc", "-n", namespace(i), "qdisc", "replace", "dev", "eth0", "root", "netem", "loss",
                lossPercent + "%", "delay", delayMs + "ms"));
        if (r.exit() != 0 && !r.err().contains("qdisc kind is unknown")) {
            throw new AssertionError("tc netem on " + namespace(i) + " failed (" + r.exit() + "): " + r.err());
        }
        return r.exit() == 0;
    }

    /** Runs a command inside node i's namespace. */
    List<String> exec(int i, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(i)));
        cmd.addAll(command);
        return cmd;
    }

    private void ip(String ns, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        Sh.ok(cmd);
    }

    /** Idempotent: safe from a finally block and from a shutdown hook at once. */
    @Override
    public synchronized void close() {
        for (String ns : nodes) {
            Sh.run(List.of("ip", "netns", "del", ns));
        }
        nodes.clear();
        Sh.run(List.of("ip", "netns", "del", hub));
    }

    /** Whether a namespace of this run is still there (for the cleanup check). */
    boolean anyLeft() {
        String list = Sh.run(List.of("ip", "netns", "list")).out();
        return list.contains("-" + suffix);
    }
}
