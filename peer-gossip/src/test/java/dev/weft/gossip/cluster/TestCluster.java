package dev.weft.gossip.cluster;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.Status;
import dev.weft.gossip.Bounds;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.HostPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** N drivers on 127.0.0.1 bootstrapped by seed list over real gRPC, and waits on what they agree. */
final class TestCluster implements AutoCloseable {
    final List<CoreDriver> drivers = new ArrayList<>();
    private final Credentials credentials;
    private final Bounds bounds;

    TestCluster(Credentials credentials, Bounds bounds) {
        this.credentials = credentials;
        this.bounds = bounds;
    }

    static Bounds testBounds() {
        return new Bounds(4 << 20, 64, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofMillis(100),
                Duration.ofSeconds(2), 256, Duration.ofSeconds(2));
    }

    static String name(int i) {
        return String.format("peer-%02d", i);
    }

    /**
     * Starts {@code n} seed peers (every one named in the bootstrap list); the first listens alone, the rest
     * are given the first {@code seedAddresses} peers' addresses and learn the others from them.
     */
    TestCluster startSeeds(int n, int seedAddresses) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(name(i));
        }
        Bootstrap seeds = new Bootstrap.Seeds(names);
        List<HostPort> known = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CoreDriver d = new CoreDriver(name(i), 1000 + i, CoreDriver.config(seeds), List.copyOf(known), credentials, bounds);
            drivers.add(d.start(0));
            if (known.size() < seedAddresses) {
                known.add(d.address());
            }
        }
        return this;
    }

    /** A peer that owns nothing until it asks, dialling the first peer. */
    CoreDriver addObserver(String name, long uid) throws Exception {
        CoreDriver d = new CoreDriver(name, uid, CoreDriver.config(new Bootstrap.Observer()),
                List.of(drivers.get(0).address()), credentials, bounds);
        drivers.add(d.start(0));
        return d;
    }

    boolean converged() {
        return converged(drivers);
    }

    static boolean converged(List<CoreDriver> ds) {
        Set<Long> digests = new HashSet<>();
        for (CoreDriver d : ds) {
            Long digest = d.read(p -> p.ring() == null || p.status().phase() != Status.Phase.READY ? null : p.ring().digest());
            if (digest == null) {
                return false;
            }
            digests.add(digest);
        }
        return digests.size() == 1;
    }

    static void await(String what, Duration limit, BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + limit + ": " + state.get());
            }
            Thread.sleep(100);
        }
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        for (CoreDriver d : drivers) {
            b.append('\n').append(d.id).append(": ").append(d.<String>read(p -> p.status().phase() + " " + p.status().forming()
                    + " ring=" + (p.ring() == null ? "none" : Long.toHexString(p.ring().digest()) + "/" + p.ring().size())
                    + " reachable=" + p.status().reachable().size()));
        }
        return b.toString();
    }

    long sum(String counter) {
        long n = 0;
        for (CoreDriver d : drivers) {
            n += d.transport().counters().getOrDefault(counter, 0L);
        }
        return n;
    }

    @Override
    public void close() {
        for (CoreDriver d : drivers) {
            d.close();
        }
    }
}
