package dev.weft.daemon.config;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated weftd configuration (see {@link SettingsParser} for where each value comes from).
 *
 * @param listen where peers connect to this one
 * @param peers other peers' addresses to dial at start (host:port)
 * @param credentials how peers prove they belong to the cluster
 * @param socket the local gRPC API's unix socket
 * @param metrics where /metrics, /healthz and /readyz are served
 * @param tickMillis how often the core is ticked
 */
public record Settings(Cidr universe, String name, InetSocketAddress listen, List<InetSocketAddress> peers,
        Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
        long tickMillis) {

    public Settings {
        peers = List.copyOf(peers);
    }

    /** Mutual TLS with a cluster CA, or plaintext (an explicit choice, or a lone peer on loopback). */
    public sealed interface Credentials {
        record Tls(Path ca, Path cert, Path key) implements Credentials {}

        record Plaintext() implements Credentials {}
    }
}
