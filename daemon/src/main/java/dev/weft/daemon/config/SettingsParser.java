package dev.weft.daemon.config;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CoreConfig;
import dev.weft.core.peer.PeerId;
import dev.weft.daemon.cni.CniSettings;
import dev.weft.daemon.kube.KubeSettings;
import dev.weft.daemon.kube.KubeSettingsParser;
import dev.weft.daemon.route.RouteSettings;
import dev.weft.daemon.succession.SuccessionSettings;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the raw text of flags (or their environment variables) into {@link Settings}, checking each value
 * and saying, for a bad one, which flag it was and what to write instead. Pure apart from reading the host
 * name and probing whether the default socket folder is writable.
 */
public final class SettingsParser {
    public static final int DEFAULT_PEER_PORT = 6790;
    public static final int DEFAULT_METRICS_PORT = 6791;
    public static final Path DEFAULT_SOCKET = Path.of("/run/weft/weft.sock");
    /** Where the socket goes when /run is not writable (run by hand, not as root). */
    public static final Path FALLBACK_SOCKET = Path.of("weft-run", "weft.sock");
    public static final Path DEFAULT_DATA = Path.of("weft-data");
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    /** The raw values; null or empty means "not given". */
    public record Raw(String range, String name, String listen, String advertise, String peers, String bootstrap,
            String caCert, String caKey, boolean plaintext, String dataDir, String socket, String metrics,
            String tick, String cniSocket, String cniSpool, String cniNotes, KubeSettingsParser.Raw kube,
            boolean hostRoutes, String bridge, boolean uniqueNames, String cniResultsDir, String removalGrace,
            String takeoverCooldown) {

        public Raw {
            kube = kube == null ? KubeSettingsParser.Raw.off() : kube;
        }

        /** With the removal grace and the takeover cool-down at their defaults. */
        public Raw(String range, String name, String listen, String advertise, String peers, String bootstrap,
                String caCert, String caKey, boolean plaintext, String dataDir, String socket, String metrics,
                String tick, String cniSocket, String cniSpool, String cniNotes, KubeSettingsParser.Raw kube,
                boolean hostRoutes, String bridge, boolean uniqueNames, String cniResultsDir) {
            this(range, name, listen, advertise, peers, bootstrap, caCert, caKey, plaintext, dataDir, socket, metrics,
                    tick, cniSocket, cniSpool, cniNotes, kube, hostRoutes, bridge, uniqueNames, cniResultsDir, null,
                    null);
        }

        /** Without succession (names not known to be unique per node, the result cache at libcni's default). */
        public Raw(String range, String name, String listen, String advertise, String peers, String bootstrap,
                String caCert, String caKey, boolean plaintext, String dataDir, String socket, String metrics,
                String tick, String cniSocket, String cniSpool, String cniNotes, KubeSettingsParser.Raw kube,
                boolean hostRoutes, String bridge) {
            this(range, name, listen, advertise, peers, bootstrap, caCert, caKey, plaintext, dataDir, socket, metrics,
                    tick, cniSocket, cniSpool, cniNotes, kube, hostRoutes, bridge, false, null);
        }

        /** Without host routes or succession. */
        public Raw(String range, String name, String listen, String advertise, String peers, String bootstrap,
                String caCert, String caKey, boolean plaintext, String dataDir, String socket, String metrics,
                String tick, String cniSocket, String cniSpool, String cniNotes, KubeSettingsParser.Raw kube) {
            this(range, name, listen, advertise, peers, bootstrap, caCert, caKey, plaintext, dataDir, socket, metrics,
                    tick, cniSocket, cniSpool, cniNotes, kube, false, null);
        }

        /** Outside Kubernetes mode, without succession. */
        public Raw(String range, String name, String listen, String advertise, String peers, String bootstrap,
                String caCert, String caKey, boolean plaintext, String dataDir, String socket, String metrics,
                String tick, String cniSocket, String cniSpool, String cniNotes, boolean hostRoutes, String bridge) {
            this(range, name, listen, advertise, peers, bootstrap, caCert, caKey, plaintext, dataDir, socket, metrics,
                    tick, cniSocket, cniSpool, cniNotes, null, hostRoutes, bridge);
        }

        /** Outside Kubernetes mode, without host routes or succession. */
        public Raw(String range, String name, String listen, String advertise, String peers, String bootstrap,
                String caCert, String caKey, boolean plaintext, String dataDir, String socket, String metrics,
                String tick, String cniSocket, String cniSpool, String cniNotes) {
            this(range, name, listen, advertise, peers, bootstrap, caCert, caKey, plaintext, dataDir, socket, metrics,
                    tick, cniSocket, cniSpool, cniNotes, null, false, null);
        }

        /** With the CNI front end at its defaults. */
        public Raw(String range, String name, String listen, String advertise, String peers, String bootstrap,
                String caCert, String caKey, boolean plaintext, String dataDir, String socket, String metrics,
                String tick) {
            this(range, name, listen, advertise, peers, bootstrap, caCert, caKey, plaintext, dataDir, socket, metrics,
                    tick, null, null, null, null, false, null, false, null);
        }
    }

    private SettingsParser() {}

    public static Settings parse(Raw raw) throws ConfigException {
        Cidr universe = universe(raw.range());
        KubeSettings kube = KubeSettingsParser.parse(raw.kube(), raw.name(), raw.bootstrap());
        String name = kube != null ? kube.nodeName() : given(raw.name()) ? raw.name().trim() : hostName();
        try {
            new PeerId(name, 1);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--name (WEFT_NAME): " + e.getMessage());
        }
        List<HostPort> peers = peers(raw.peers());
        Credentials credentials = credentials(raw, peers);
        boolean lone = credentials instanceof Credentials.Plaintext && !raw.plaintext();
        if (lone && kube != null) {
            throw new ConfigException("--kubernetes joins this node's daemon with those of every other node, so peers"
                    + " must authenticate: give --ca-cert and --ca-key (mutual TLS; the DaemonSet mounts them from a"
                    + " Secret), or --plaintext on a network you trust");
        }
        HostPort listen;
        if (given(raw.listen())) {
            listen = hostPort("--listen (WEFT_LISTEN)", raw.listen(), DEFAULT_PEER_PORT);
            if (lone && !isLoopback(listen.host())) {
                throw new ConfigException("--listen (WEFT_LISTEN) " + raw.listen() + " is reachable from other hosts,"
                        + " so peers must authenticate: give --ca-cert and --ca-key (mutual TLS), or --plaintext on a"
                        + " network you trust");
            }
        } else {
            // A lone peer with no credentials listens on loopback only: nobody else can join it.
            listen = new HostPort(lone ? "127.0.0.1" : "0.0.0.0", DEFAULT_PEER_PORT);
        }
        HostPort advertise = null;
        if (given(raw.advertise())) {
            advertise = hostPort("--advertise (WEFT_ADVERTISE)", raw.advertise(), listen.port());
            if (advertise.port() == 0 || isWildcard(advertise.host())) {
                throw new ConfigException("--advertise (WEFT_ADVERTISE) " + raw.advertise() + " must be an address"
                        + " other peers can dial, with a real port, like 10.0.0.5:" + DEFAULT_PEER_PORT);
            }
        } else if (isWildcard(listen.host()) && !peers.isEmpty()) {
            throw new ConfigException("--listen (WEFT_LISTEN) " + listen + " listens on every interface, so other peers"
                    + " need to be told where to dial this one: give --advertise <node-ip>:" + listen.port()
                    + " (in Kubernetes, the node's IP from status.hostIP)");
        }
        // In Kubernetes mode the founding ConfigMap decides at start; until then the peer owns nothing.
        Bootstrap bootstrap = kube != null ? new Bootstrap.Observer() : bootstrap(raw.bootstrap(), name, peers);
        try {
            CoreConfig.defaults(universe, bootstrap);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--bootstrap (WEFT_BOOTSTRAP) with --range (WEFT_RANGE): " + e.getMessage());
        }
        Path data = given(raw.dataDir()) ? Path.of(raw.dataDir().trim()) : DEFAULT_DATA;
        Path socket = socket(raw.socket());
        InetSocketAddress metrics = new InetSocketAddress(DEFAULT_METRICS_PORT);
        if (given(raw.metrics())) {
            HostPort m = hostPort("--metrics-address (WEFT_METRICS_ADDRESS)", raw.metrics(), DEFAULT_METRICS_PORT);
            metrics = isWildcard(m.host()) ? new InetSocketAddress(m.port()) : new InetSocketAddress(m.host(), m.port());
            if (metrics.isUnresolved()) {
                throw new ConfigException("--metrics-address (WEFT_METRICS_ADDRESS) '" + raw.metrics() + "': host '"
                        + m.host() + "' does not resolve; give an IP address, like 0.0.0.0:" + DEFAULT_METRICS_PORT);
            }
        }
        long tick = tick(raw.tick());
        CniSettings cni;
        try {
            cni = CniSettings.parse(raw.cniSocket(), raw.cniSpool(), raw.cniNotes(), socket, data);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        RouteSettings routes;
        try {
            routes = RouteSettings.parse(raw.hostRoutes(), raw.bridge());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return new Settings(universe, name, listen, advertise, peers, bootstrap, credentials, data, socket, metrics,
                tick, cni, kube, routes,
                SuccessionSettings.parse(raw.uniqueNames() || kube != null, raw.cniResultsDir()),
                RemovalTiming.parse(raw.removalGrace(), raw.takeoverCooldown()));
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static Cidr universe(String text) throws ConfigException {
        if (!given(text)) {
            return CoreConfig.DEFAULT_UNIVERSE;
        }
        Cidr c;
        try {
            c = Cidr.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--range (WEFT_RANGE): " + e.getMessage());
        }
        if (c.size() < 4) {
            throw new ConfigException("--range (WEFT_RANGE) " + c + " is too small: use a /30 or larger");
        }
        return c;
    }

    private static List<HostPort> peers(String text) throws ConfigException {
        List<HostPort> out = new ArrayList<>();
        if (!given(text)) {
            return out;
        }
        for (String p : text.split(",")) {
            if (!p.isBlank()) {
                out.add(hostPort("--peers (WEFT_PEERS)", p, DEFAULT_PEER_PORT));
            }
        }
        return out;
    }

    private static Credentials credentials(Raw raw, List<HostPort> peers) throws ConfigException {
        boolean anyTls = given(raw.caCert()) || given(raw.caKey());
        if (anyTls && raw.plaintext()) {
            throw new ConfigException("--plaintext (WEFT_PLAINTEXT) and --ca-cert/--ca-key contradict each other:"
                    + " choose mutual TLS or plaintext");
        }
        if (anyTls) {
            if (!given(raw.caCert()) || !given(raw.caKey())) {
                throw new ConfigException("mutual TLS needs both --ca-cert (WEFT_CA_CERT) and --ca-key (WEFT_CA_KEY):"
                        + " the cluster CA's certificate and private key (PEM), from which each peer issues its own"
                        + " certificate");
            }
            return new Credentials.MutualTls(readable("--ca-cert (WEFT_CA_CERT)", raw.caCert()),
                    readable("--ca-key (WEFT_CA_KEY)", raw.caKey()));
        }
        if (!raw.plaintext() && !peers.isEmpty()) {
            throw new ConfigException("peers (--peers / WEFT_PEERS) need credentials so strangers cannot join: give"
                    + " --ca-cert and --ca-key (mutual TLS), or --plaintext on a network you trust");
        }
        return new Credentials.Plaintext();
    }

    private static Path readable(String flag, String text) throws ConfigException {
        Path p = Path.of(text.trim());
        if (!Files.isReadable(p) || !Files.isRegularFile(p)) {
            throw new ConfigException(flag + " " + p + " is not a readable file");
        }
        return p;
    }

    /** seeds=a,b,c | consensus=N | observer; with no peers and no choice, a lone seed named after itself. */
    static Bootstrap bootstrap(String text, String self, List<HostPort> peers) throws ConfigException {
        String flag = "--bootstrap (WEFT_BOOTSTRAP)";
        if (!given(text)) {
            if (!peers.isEmpty()) {
                throw new ConfigException(flag + " is required with --peers: say how a new cluster forms, with"
                        + " seeds=<name>,<name>... (the same list on every seed), consensus=<number of peers"
                        + " starting together>, or observer (join an existing ring)");
            }
            return new Bootstrap.Seeds(List.of(self));
        }
        String t = text.trim();
        if (t.equals("observer")) {
            return new Bootstrap.Observer();
        }
        if (t.startsWith("seeds=")) {
            List<String> names = Arrays.stream(t.substring(6).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .toList();
            if (names.isEmpty()) {
                throw new ConfigException(flag + " seeds= names no peer: write seeds=node-a,node-b,node-c");
            }
            for (String n : names) {
                try {
                    new PeerId(n, 1);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(flag + ": seed " + e.getMessage());
                }
            }
            return new Bootstrap.Seeds(names);
        }
        if (t.startsWith("consensus=")) {
            try {
                int n = Integer.parseInt(t.substring(10).trim());
                if (n < 1 || n > 100_000) {
                    throw new NumberFormatException();
                }
                return new Bootstrap.Consensus(n);
            } catch (NumberFormatException e) {
                throw new ConfigException(flag + " '" + t + "': consensus= takes the number of peers starting"
                        + " together, 1 or more, like consensus=3");
            }
        }
        throw new ConfigException(flag + " '" + t + "' is not a mode: write seeds=<name>,<name>...,"
                + " consensus=<N> or observer");
    }

    private static Path socket(String text) throws ConfigException {
        Path p;
        if (given(text)) {
            p = Path.of(text.trim());
        } else {
            p = writableFolder(DEFAULT_SOCKET.getParent()) ? DEFAULT_SOCKET : FALLBACK_SOCKET;
        }
        if (p.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new ConfigException("--socket (WEFT_SOCKET) " + p.toAbsolutePath() + " is longer than the "
                    + MAX_SOCKET_PATH + " bytes a unix socket path may have: choose a shorter path");
        }
        return p;
    }

    private static boolean writableFolder(Path folder) {
        try {
            Files.createDirectories(folder);
            return Files.isWritable(folder);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static long tick(String text) throws ConfigException {
        if (!given(text)) {
            return 100;
        }
        try {
            long t = Long.parseLong(text.trim());
            if (t < 10 || t > 10_000) {
                throw new NumberFormatException();
            }
            return t;
        } catch (NumberFormatException e) {
            throw new ConfigException("--tick-ms (WEFT_TICK_MS) '" + text + "': give milliseconds from 10 to 10000"
                    + " (default 100)");
        }
    }

    /** host:port, [v6]:port, :port (every interface) or host (the default port). */
    static HostPort hostPort(String flag, String text, int defaultPort) throws ConfigException {
        String t = text.trim();
        String host = t;
        int port = defaultPort;
        int colon = t.lastIndexOf(':');
        if (colon >= 0 && t.indexOf(']') < colon && (t.startsWith("[") || t.indexOf(':') == colon)) {
            host = t.substring(0, colon);
            String p = t.substring(colon + 1);
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new ConfigException(flag + " '" + t + "': port '" + p + "' is not a number");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        try {
            return new HostPort(host, port);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(flag + " '" + t + "': " + e.getMessage() + "; write host:port, like 10.0.0.5:"
                    + defaultPort);
        }
    }

    static String hostName() throws ConfigException {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException e) {
            // not Linux, or /proc not mounted: ask the resolver below
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new ConfigException("cannot read this host's name (" + e.getMessage() + "): give --name (WEFT_NAME),"
                    + " usually the node name");
        }
    }

    private static boolean given(String s) {
        return s != null && !s.isBlank();
    }
}
