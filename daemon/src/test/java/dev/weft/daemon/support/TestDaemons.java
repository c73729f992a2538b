package dev.weft.daemon.support;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.Transports;
import dev.weft.daemon.api.RemovalGrace;
import dev.weft.daemon.config.RemovalTiming;
import dev.weft.daemon.config.Settings;
import dev.weft.daemon.store.StoreRefusedException;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-process daemons on loopback: ephemeral ports, socket and data folder under the test's own folder. */
public final class TestDaemons {
    private TestDaemons() {}

    /** A lone peer that owns all of {@code universe}, with its files under {@code dir}. */
    public static Settings lone(Path dir, String universe) {
        return settings(dir, "solo", universe, new Bootstrap.Seeds(List.of("solo")));
    }

    public static Settings settings(Path dir, String name, String universe, Bootstrap bootstrap) {
        return settings(dir, name, universe, bootstrap, new HostPort("127.0.0.1", 0), List.of(),
                new Credentials.Plaintext());
    }

    /** The one place tests build {@link Settings}: files under {@code dir}, metrics on an ephemeral port. */
    public static Settings settings(Path dir, String name, String universe, Bootstrap bootstrap, HostPort listen,
            List<HostPort> peers, Credentials credentials) {
        return new Settings(Cidr.parse(universe), name, listen, null, peers, bootstrap, credentials, dir.resolve("data"),
                dir.resolve("weft.sock"), new InetSocketAddress("127.0.0.1", 0), 50);
    }

    /** The same daemon settings with the API on another socket (a second daemon on the same data folder). */
    public static Settings withSocket(Settings s, Path socket) {
        return new Settings(s.universe(), s.name(), s.listen(), s.advertise(), s.peers(), s.bootstrap(),
                s.credentials(), s.dataDir(), socket, s.metrics(), s.tickMillis());
    }

    /** Failures reported to the daemon's fatal handler (a test asserts there were none, or some). */
    /**
     * The shortest removal grace and takeover cool-down weftd accepts, for tests that wait them out: what they
     * check does not depend on the length, only on the wait being there.
     */
    public static final RemovalTiming QUICK_REMOVAL = new RemovalTiming(new RemovalGrace(RemovalGrace.MIN_MILLIS),
            RemovalTiming.MIN_COOLDOWN_MILLIS);

    public static final List<Throwable> FATAL = new CopyOnWriteArrayList<>();

    public static Daemon start(Settings s) throws StoreRefusedException, IOException {
        return Daemon.start(s, Transports::grpc, FATAL::add);
    }
}
