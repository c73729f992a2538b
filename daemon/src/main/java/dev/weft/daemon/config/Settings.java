package dev.weft.daemon.config;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.cni.CniSettings;
import dev.weft.daemon.succession.SuccessionSettings;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.HostPort;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated weftd configuration (see {@link SettingsParser} for where each value comes from).
 *
 * @param listen where peers connect to this one
 * @param advertise how other peers dial this one; null = the listen address
 * @param peers other peers to dial at start
 * @param credentials how peers prove they belong to the cluster
 * @param socket the local gRPC API's unix socket
 * @param metrics where /metrics, /healthz and /readyz are served
 * @param tickMillis how often the core is ticked
 * @param cni where the CNI plugin's socket, DEL spool and attachment notes are; null runs no CNI endpoint
 *            (a weftd that serves only the API, as tests of other parts start it)
 * @param succession whether earlier installs under this name are taken over, and where live pods are learned
 */
public record Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
        Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
        long tickMillis, CniSettings cni, SuccessionSettings succession) {

    public Settings {
        peers = List.copyOf(peers);
        if (succession == null) {
            succession = SuccessionSettings.OFF;
        }
    }

    /** Without succession (names not known to be unique per node). */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis, CniSettings cni) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                cni, SuccessionSettings.OFF);
    }

    /** The same settings with {@code s} for succession. */
    public Settings withSuccession(SuccessionSettings s) {
        return new Settings(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics,
                tickMillis, cni, s);
    }

    /** Without a CNI endpoint. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                null);
    }
}
