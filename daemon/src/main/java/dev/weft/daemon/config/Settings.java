package dev.weft.daemon.config;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.cni.CniSettings;
import dev.weft.daemon.kube.KubeSettings;
import dev.weft.daemon.route.RouteSettings;
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
 */
public record Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
        Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
        long tickMillis, CniSettings cni, KubeSettings kube, RouteSettings routes) {

    public Settings {
        peers = List.copyOf(peers);
    }

    /** Outside Kubernetes mode and without host routes. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis, CniSettings cni) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                cni, null, null);
    }

    /** In Kubernetes mode, without host routes. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis, CniSettings cni, KubeSettings kube) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                cni, kube, null);
    }

    /** With host routes, outside Kubernetes mode. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis, CniSettings cni, RouteSettings routes) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                cni, null, routes);
    }

    /**
     * Whether installs must be unique per name (a fresh install succeeds its predecessor of the same name):
     * always in Kubernetes mode, where a peer is named after its node. The core's unique-names setting is
     * to be set from this.
     */
    public boolean uniqueNamesRequired() {
        return kube != null;
    }

    /** The same settings with the peers and advertised address found at start (Kubernetes mode's nodes). */
    public Settings withPeers(List<HostPort> found, HostPort advertised) {
        return new Settings(universe, name, listen, advertised, found, bootstrap, credentials, dataDir, socket,
                metrics, tickMillis, cni, kube, routes);
    }

    /** Without a CNI endpoint. */
    public Settings(Cidr universe, String name, HostPort listen, HostPort advertise, List<HostPort> peers,
            Bootstrap bootstrap, Credentials credentials, Path dataDir, Path socket, InetSocketAddress metrics,
            long tickMillis) {
        this(universe, name, listen, advertise, peers, bootstrap, credentials, dataDir, socket, metrics, tickMillis,
                null);
    }
}
