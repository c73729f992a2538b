package dev.weft.daemon.config;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.cni.CniSettings;
import dev.weft.daemon.kube.KubeSettings;
import dev.weft.daemon.route.RouteSettings;
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
 * @param bootstrap how a new cluster forms; in Kubernetes mode a placeholder ({@code Observer}) that the
 *                  founding ConfigMap replaces at start
 * @param kube Kubernetes mode's settings, or null when it is off
 * @param routes host routes to other nodes' pod ranges and the bridge to turn proxy-ARP on for; null when
 *               {@code --host-routes} is off
 * @param succession whether earlier installs under this name are taken over, and where live pods are learned
 *                   (always on in Kubernetes mode, where a peer is named after its node)
 * @param removal the removal grace and the takeover cool-down; null = the defaults
 */
public record Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
        Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
        long tickMillis, CniSettings cni, KubeSettings kube, RouteSettings routes, SuccessionSettings succession,
        RemovalTiming removal) {

    public Settings {
        peers = List.copyOf(peers);
        if (succession == null) {
            succession = SuccessionSettings.OFF;
        }
        if (removal == null) {
            removal = RemovalTiming.STANDARD;
        }
    }

    /** With the default removal grace and takeover cool-down. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis, CniSettings cni, KubeSettings kube, RouteSettings routes, SuccessionSettings succession) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                cni, kube, routes, succession, null);
    }

    /** Outside Kubernetes mode, without host routes or succession. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis, CniSettings cni) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                cni, null, null, null);
    }

    /** In Kubernetes mode (with succession), without host routes. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis, CniSettings cni, KubeSettings kube) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                cni, kube, null, kube == null ? null : SuccessionSettings.parse(true, null));
    }

    /** With host routes, outside Kubernetes mode. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis, CniSettings cni, RouteSettings routes) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                cni, null, routes, null);
    }

    /** With succession as given, outside Kubernetes mode, without host routes. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis, CniSettings cni, SuccessionSettings succession) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                cni, null, null, succession);
    }

    /** Without a CNI endpoint. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                null);
    }

    /** The same settings with {@code s} for succession. */
    public Settings withSuccession(SuccessionSettings s) {
        return new Settings(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics,
                tickMillis, cni, kube, routes, s, removal);
    }

    /** The same settings with {@code r} for the removal grace and the takeover cool-down. */
    public Settings withRemoval(RemovalTiming r) {
        return new Settings(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics,
                tickMillis, cni, kube, routes, succession, r);
    }

    /** The same settings with the peers and advertised address found at start (Kubernetes mode's nodes). */
    public Settings withPeers(List<HostPort> found, HostPort advertised) {
        return new Settings(universe, name, listen, advertised, found, bootstrap, credentials, dataDir, socket,
                metrics, tickMillis, cni, kube, routes, succession, removal);
    }
}
