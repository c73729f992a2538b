package dev.weft.daemon;

import dev.weft.daemon.config.ConfigException;
import dev.weft.daemon.config.Settings;
import dev.weft.daemon.config.SettingsParser;
import dev.weft.daemon.kube.KubeSettingsParser;
import dev.weft.daemon.store.Store;
import dev.weft.daemon.store.StoreRefusedException;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The weftd command line: flags with environment-variable fallbacks, then {@link Daemon} until SIGTERM. */
@Command(name = "weftd", mixinStandardHelpOptions = true, version = "weftd 0.1.0",
        description = {"weft's node daemon: allocates pod addresses from its share of the cluster's space.",
            "With no flags it starts a one-peer cluster owning 10.32.0.0/12, data in ./weft-data."},
        sortOptions = false)
public final class Weftd implements Callable<Integer> {
    /** Exit codes: 2 bad configuration, 3 data folder refused, 4 a port or socket unavailable, 70 store failure. */
    static final int BAD_CONFIG = 2;
    static final int STORE_REFUSED = 3;
    static final int CANNOT_SERVE = 4;
    static final int STORE_FAILED = 70;

    @Option(names = "--range", paramLabel = "CIDR", defaultValue = "${env:WEFT_RANGE}",
            description = "the cluster's address space, the same on every peer (env WEFT_RANGE; default 10.32.0.0/12)")
    String range;

    @Option(names = "--name", defaultValue = "${env:WEFT_NAME}",
            description = "this peer's name, usually the node name (env WEFT_NAME; default the host name)")
    String name;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "${env:WEFT_LISTEN}",
            description = "where peers connect (env WEFT_LISTEN; default :6790, or 127.0.0.1:6790 for a lone peer"
                    + " without credentials)")
    String listen;

    @Option(names = "--advertise", paramLabel = "HOST:PORT", defaultValue = "${env:WEFT_ADVERTISE}",
            description = "how other peers dial this one, when --listen is every interface (env WEFT_ADVERTISE;"
                    + " in Kubernetes the node IP)")
    String advertise;

    @Option(names = "--peers", paramLabel = "HOST:PORT,...", defaultValue = "${env:WEFT_PEERS}",
            description = "other peers to dial at start (env WEFT_PEERS)")
    String peers;

    @Option(names = "--bootstrap", paramLabel = "MODE", defaultValue = "${env:WEFT_BOOTSTRAP}",
            description = "how a new cluster forms: seeds=<name>,<name>... | consensus=<N> | observer"
                    + " (env WEFT_BOOTSTRAP; default: a lone seed, itself, when no --peers are given)")
    String bootstrap;

    @Option(names = "--ca-cert", paramLabel = "FILE", defaultValue = "${env:WEFT_CA_CERT}",
            description = "the cluster CA's certificate (PEM): peers authenticate each other by mutual TLS under it"
                    + " (env WEFT_CA_CERT)")
    String caCert;

    @Option(names = "--ca-key", paramLabel = "FILE", defaultValue = "${env:WEFT_CA_KEY}",
            description = "the cluster CA's private key (PEM): each peer issues itself a certificate at start"
                    + " (env WEFT_CA_KEY)")
    String caKey;

    @Option(names = "--plaintext", defaultValue = "${env:WEFT_PLAINTEXT:-false}",
            description = "talk to peers without TLS, on a network you trust (env WEFT_PLAINTEXT=true)")
    boolean plaintext;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:WEFT_DATA_DIR}",
            description = "the peer's store (env WEFT_DATA_DIR; default ./weft-data; /var/lib/weft in the DaemonSet)")
    String dataDir;

    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:WEFT_SOCKET}",
            description = "the local API's unix socket (env WEFT_SOCKET; default /run/weft/weft.sock, or"
                    + " ./weft-run/weft.sock when /run is not writable)")
    String socket;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT", defaultValue = "${env:WEFT_METRICS_ADDRESS}",
            description = "where /metrics, /healthz and /readyz are served (env WEFT_METRICS_ADDRESS; default :6791)")
    String metrics;

    @Option(names = "--tick-ms", paramLabel = "MS", defaultValue = "${env:WEFT_TICK_MS}", hidden = true,
            description = "how often the core is ticked (env WEFT_TICK_MS; default 100)")
    String tick;

    @Option(names = "--cni-socket", paramLabel = "PATH", defaultValue = "${env:WEFT_CNI_SOCKET}",
            description = "the CNI plugin's unix socket (env WEFT_CNI_SOCKET; default cni.sock beside --socket:"
                    + " /run/weft/cni.sock)")
    String cniSocket;

    @Option(names = "--cni-spool", paramLabel = "DIR", defaultValue = "${env:WEFT_CNI_SPOOL}",
            description = "where the CNI plugin leaves DELs while weftd is away (env WEFT_CNI_SPOOL; default"
                    + " <data-dir>-cni/spool: /var/lib/weft-cni/spool in the DaemonSet, the plugin's own default)")
    String cniSpool;

    @Option(names = "--cni-notes", paramLabel = "DIR", defaultValue = "${env:WEFT_CNI_NOTES}",
            description = "pod names and ADD times of CNI attachments (env WEFT_CNI_NOTES; default"
                    + " <data-dir>-cni/notes)")
    String cniNotes;

    @Option(names = "--kubernetes", defaultValue = "${env:WEFT_KUBERNETES:-false}",
            description = "run as a DaemonSet pod (env WEFT_KUBERNETES=true): the peer name is the node name (env"
                    + " NODE_NAME from spec.nodeName, unless --name is given); the first daemon to create the founding"
                    + " ConfigMap founds the cluster, the others join it (do not give --bootstrap); peers are the other"
                    + " nodes' InternalIPs unless --peers is given; this node's pods are reconciled with its holds, and"
                    + " the peers of deleted Node objects are removed")
    boolean kubernetes;

    @Option(names = "--kube-namespace", paramLabel = "NAMESPACE", defaultValue = "${env:WEFT_KUBE_NAMESPACE}",
            description = "where the founding ConfigMap and the reclaim Lease live (env WEFT_KUBE_NAMESPACE; default"
                    + " the pod's own namespace from env POD_NAMESPACE, else kube-system)")
    String kubeNamespace;

    @Option(names = "--founding-configmap", paramLabel = "NAME", defaultValue = "${env:WEFT_FOUNDING_CONFIGMAP}",
            description = "the ConfigMap that records, create-only, which node founded the cluster and its range"
                    + " (env WEFT_FOUNDING_CONFIGMAP; default weft-founding)")
    String foundingConfigMap;

    @Option(names = "--reclaim-lease", paramLabel = "NAME", defaultValue = "${env:WEFT_RECLAIM_LEASE}",
            description = "the Lease whose holder removes the peers of deleted Node objects (env WEFT_RECLAIM_LEASE;"
                    + " default weft-reclaim)")
    String reclaimLease;

    @Option(names = "--pod-grace", paramLabel = "TIME", defaultValue = "${env:WEFT_POD_GRACE}",
            description = "how long a hold's pod must have been gone from this node, without a break, before weftd"
                    + " releases its address, like 120s or 5m (env WEFT_POD_GRACE; default 120s, at least 10s)")
    String podGrace;

    @Option(names = "--host-routes", defaultValue = "${env:WEFT_HOST_ROUTES:-false}",
            description = "keep a kernel route to every range another peer owns, via that peer's node address, and"
                    + " turn on forwarding and proxy-ARP on --bridge, so pods reach pods on other nodes (nodes must"
                    + " share an L2 segment; env WEFT_HOST_ROUTES=true; default off, on in the DaemonSet)")
    boolean hostRoutes;

    @Option(names = "--bridge", paramLabel = "NAME", defaultValue = "${env:WEFT_BRIDGE}",
            description = "the pods' bridge, as named in the CNI config's bridge plugin, on which --host-routes"
                    + " turns proxy-ARP on (env WEFT_BRIDGE; default weft0)")
    String bridge;

    @Option(names = "--unique-names", defaultValue = "${env:WEFT_UNIQUE_NAMES:-false}",
            description = "names are unique per node (Kubernetes): a new install finding an earlier one under its own"
                    + " name takes over its ranges once nobody has heard from it for the removal grace, holding first"
                    + " the addresses of this node's pods that outlived the lost data folder"
                    + " (env WEFT_UNIQUE_NAMES=true)")
    boolean uniqueNames;

    @Option(names = "--cni-results-dir", paramLabel = "DIR", defaultValue = "${env:WEFT_CNI_RESULTS_DIR}",
            description = "libcni's result cache, where succession learns this node's live pods (env"
                    + " WEFT_CNI_RESULTS_DIR; default /var/lib/cni/results)")
    String cniResultsDir;

    @Option(names = "--removal-grace", paramLabel = "TIME", defaultValue = "${env:WEFT_REMOVAL_GRACE}",
            description = "how long nobody may have heard from an install before rmpeer (not forced), Kubernetes mode's"
                    + " reclaim or a successor removes it, like 60s or 2m (env WEFT_REMOVAL_GRACE; default 60s, at"
                    + " least 15s); give every peer the same")
    String removalGrace;

    @Option(names = "--takeover-cooldown", paramLabel = "TIME", defaultValue = "${env:WEFT_TAKEOVER_COOLDOWN}",
            description = "how long ranges taken over from a removed install rest before use, on top of its hand-over"
                    + " and ring comparisons, like 60s or 2m (env WEFT_TAKEOVER_COOLDOWN; default 60s, at least 10s)")
    String takeoverCooldown;

    private static final Logger log = LoggerFactory.getLogger(Weftd.class);

    public static void main(String[] args) {
        Store.preload();
        CommandLine cl = new CommandLine(new Weftd());
        int code = cl.execute(args);
        System.exit(code);
    }

    SettingsParser.Raw raw() {
        return new SettingsParser.Raw(range, name, listen, advertise, peers, bootstrap, caCert, caKey, plaintext,
                dataDir, socket, metrics, tick, cniSocket, cniSpool, cniNotes,
                new KubeSettingsParser.Raw(kubernetes, System.getenv("NODE_NAME"), kubeNamespace,
                        System.getenv("POD_NAMESPACE"), foundingConfigMap, reclaimLease, podGrace), hostRoutes, bridge,
                uniqueNames, cniResultsDir, removalGrace, takeoverCooldown);
    }

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = SettingsParser.parse(raw());
        } catch (ConfigException e) {
            System.err.println("weftd: " + e.getMessage());
            return BAD_CONFIG;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Daemon daemon;
        try {
            daemon = Daemon.start(settings, Transports::grpc, failure -> {
                log.error("weftd cannot write its store and stops; restart it when the disk is sound", failure);
                // exit from a fresh thread: the shutdown hook waits for the thread that reports the failure
                new Thread(() -> System.exit(STORE_FAILED), "weft-exit").start();
            });
        } catch (StoreRefusedException e) {
            log.error("weftd will not start: {}", e.getMessage());
            return STORE_REFUSED;
        } catch (IOException e) {
            log.error("weftd will not start: {}", e.getMessage());
            return CANNOT_SERVE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: finishing the batch in flight and closing the store (this peer stays in the cluster)");
            daemon.close();
            stopped.countDown();
        }, "weft-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
