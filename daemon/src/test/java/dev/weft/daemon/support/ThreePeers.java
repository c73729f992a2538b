package dev.weft.daemon.support;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.TransportFactory;
import dev.weft.daemon.Transports;
import dev.weft.daemon.api.v1.StatusReply;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.config.Settings;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.HostPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Three in-process daemons a, b, c seeded together on 127.0.0.x (random ports), each with its own socket,
 * data folder and HTTP port under the test's folder. Started ready, closed (any still running) at the end.
 */
public final class ThreePeers implements AutoCloseable {
    public static final List<String> NAMES = List.of("a", "b", "c");
    public final List<Daemon> daemons = new ArrayList<>();
    private final List<Settings> settings = new ArrayList<>();
    private final TransportFactory transports;

    public ThreePeers(Path dir, String universe) throws Exception {
        this(dir, universe, Transports::grpc);
    }

    /** The same with each daemon's peer transport made by {@code transports} (e.g. {@link Cuts}). */
    public ThreePeers(Path dir, String universe, TransportFactory transports) throws Exception {
        this(dir, universe, transports, UnaryOperator.identity());
    }

    /** The same with each daemon's settings passed through {@code tweak} (e.g. succession on). */
    public ThreePeers(Path dir, String universe, TransportFactory transports, UnaryOperator<Settings> tweak)
            throws Exception {
        this.transports = transports;
        int port = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
        List<HostPort> hosts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hosts.add(new HostPort("127.0.0." + (21 + i), port + i));
        }
        Bootstrap seeds = new Bootstrap.Seeds(NAMES);
        try {
            for (int i = 0; i < 3; i++) {
                List<HostPort> others = new ArrayList<>(hosts);
                others.remove(i);
                settings.add(tweak.apply(TestDaemons.settings(dir.resolve(NAMES.get(i)), NAMES.get(i), universe,
                        seeds, hosts.get(i), others, new Credentials.Plaintext())));
                daemons.add(Daemon.start(settings.get(i), transports, TestDaemons.FATAL::add));
            }
            for (Daemon d : daemons) {
                awaitReady(d, 60_000);
            }
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** Waits until the daemon is ready and reaches both others. */
    public static void awaitReady(Daemon d, long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        try (ApiClient c = new ApiClient(d.socket())) {
            StatusReply s = c.blocking().status(StatusRequest.getDefaultInstance());
            while (!(s.getState().equals("ready") && s.getReachableCount() == 2) && System.nanoTime() < until) {
                Thread.sleep(50);
                s = c.blocking().status(StatusRequest.getDefaultInstance());
            }
            if (!s.getState().equals("ready") || s.getReachableCount() != 2) {
                throw new AssertionError("daemon not ready with both peers after " + millis + " ms: " + s);
            }
        }
    }

    public Daemon get(int i) {
        return daemons.get(i);
    }

    /**
     * Starts daemon {@code i} again on its own data folder, address and socket (after the test closed it); the
     * test waits for what it expects of it ({@link #awaitReady}, or a removed install's state).
     */
    public Daemon restart(int i) throws Exception {
        daemons.get(i).close();
        daemons.set(i, Daemon.start(settings.get(i), transports, TestDaemons.FATAL::add));
        return daemons.get(i);
    }

    @Override
    public void close() {
        for (Daemon d : daemons) {
            d.close();
        }
    }
}
