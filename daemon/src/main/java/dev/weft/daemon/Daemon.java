package dev.weft.daemon;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CoreConfig;
import dev.weft.core.node.CorruptStateException;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Record;
import dev.weft.core.peer.PeerId;
import dev.weft.daemon.api.ApiServer;
import dev.weft.daemon.api.WeftService;
import dev.weft.daemon.cni.CniFrontEnd;
import dev.weft.daemon.cni.Note;
import dev.weft.daemon.config.Settings;
import dev.weft.daemon.http.HttpEndpoint;
import dev.weft.daemon.kube.FoundingException;
import dev.weft.daemon.kube.KubeConnector;
import dev.weft.daemon.kube.KubeMode;
import dev.weft.daemon.loop.CoreClock;
import dev.weft.daemon.loop.CoreGateway;
import dev.weft.daemon.loop.EventLoop;
import dev.weft.daemon.metrics.CoreMeters;
import dev.weft.daemon.metrics.LoopMeters;
import dev.weft.daemon.route.RouteReconciler;
import dev.weft.daemon.ringview.RingRoute;
import dev.weft.daemon.store.Store;
import dev.weft.daemon.store.StoreRefusedException;
import dev.weft.gossip.HostPort;
import dev.weft.daemon.succession.CacheHolds;
import dev.weft.daemon.succession.LiveHolds;
import dev.weft.daemon.succession.Readmission;
import dev.weft.daemon.succession.ResultsCache;
import dev.weft.daemon.succession.Successor;
import dev.weft.gossip.Transport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * weftd's startup order, in one place: open the store → recover the core → start the event loop → hold this
 * node's live pods again ({@link Readmission}) → the CNI endpoint (which replays its DEL spool before anything else serves) → the gRPC API socket → the peer
 * transport → host routes (when on) → HTTP. {@link #close} undoes it in reverse: intake stops first, the batch in flight is synced,
 * the store is closed last. Closing never leaves the cluster.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    /** As configured, then (in Kubernetes mode) with the nodes found at start as peers. */
    private Settings settings;
    private KubeMode kube;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final LiveHolds liveHolds = new LiveHolds();
    private volatile Successor successor;
    private Store store;
    private EventLoop loop;
    private CniFrontEnd cni;
    private ApiServer api;
    private Transport transport;
    private HttpEndpoint http;
    private CoreMeters.TransportCounters transportCounters;
    private double recoverySeconds;
    private boolean closed;

    private Daemon(Settings settings) {
        this.settings = settings;
    }

    /**
     * Starts every part, or none: a part that fails to start closes those already running and the error
     * says what to do.
     *
     * @param onFatal called (from a weftd thread) when the store can no longer be written; the caller exits
     */
    public static Daemon start(Settings settings, TransportFactory transports, Consumer<Throwable> onFatal)
            throws StoreRefusedException, IOException {
        return start(settings, transports, KubeConnector.standard(), onFatal, holds -> {});
    }

    /**
     * @param kubernetes makes the API server client when {@code settings} is in Kubernetes mode
     * @param moreLiveHolds adds more sources of this node's live holds for the readmit at start and for
     *                      succession, before either first runs
     * @throws FoundingException (an IOException) when Kubernetes says this weftd cannot join: another range,
     *                           a damaged founding record, or no API server while one is needed
     */
    public static Daemon start(Settings settings, TransportFactory transports, KubeConnector kubernetes,
            Consumer<Throwable> onFatal, Consumer<LiveHolds> moreLiveHolds) throws StoreRefusedException, IOException {
        Daemon d = new Daemon(settings);
        try {
            if (settings.kube() != null) {
                d.kube = new KubeMode(settings.kube(), kubernetes.connect());
                d.opened.add(d.kube);
            }
            d.startParts(transports, onFatal, moreLiveHolds);
        } catch (StoreRefusedException | IOException | RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void startParts(TransportFactory transports, Consumer<Throwable> onFatal,
            Consumer<LiveHolds> moreLiveHolds) throws StoreRefusedException, IOException {
        long openStart = System.nanoTime();
        store = Store.open(settings.dataDir());
        opened.add(store);
        long read = System.nanoTime();
        Peer peer = recover(store);
        long rebuilt = System.nanoTime();
        recoverySeconds = (rebuilt - openStart) / 1e9;
        log.info("store {} opened with {} records read in {} ms, core rebuilt in {} ms: recovered in {} ms",
                store.folder(), store.records().size(), (read - openStart) / 1_000_000, (rebuilt - read) / 1_000_000,
                Math.round(recoverySeconds * 1000));

        LoopMeters loopMeters = new LoopMeters(registry);
        loop = new EventLoop(peer, store, new CoreClock(), settings.tickMillis(), loopMeters, onFatal);
        loop.start();
        opened.add(loop);

        addLiveHoldSources(moreLiveHolds);
        // Before CNI serves: the folder may be an older backup, missing pods acknowledged since (Readmission).
        Readmission.run(loop, liveHolds, store.records());

        // The CNI endpoint starts here, before anything else serves: it replays its DEL spool first.
        if (settings.cni() != null) {
            cni = CniFrontEnd.start(loop, settings.cni().socket(), settings.cni().spool(), settings.cni().notes());
            opened.add(cni);
        }

        api = ApiServer.start(settings.socket(), new WeftService(loop, settings.universe(), this::lastHeard,
                () -> cni == null ? Map.of() : cni.podNames(), this::successionState, settings.removal().grace()));
        opened.add(api);

        if (kube != null) {
            settings = kube.withNodePeers(settings);
        }
        transport = transports.open(settings, peer.self(), () -> loop.view().cluster());
        opened.add(transport);
        loop.attach(transport);
        transport.start(loop.listener());
        startSuccession(peer.self());

        if (kube != null) {
            CniFrontEnd c = cni;
            opened.add(kube.startBackground(loop, peer.self(), settings.universe(), a -> c == null ? Optional.empty()
                    : c.notes().get(Note.key(a.network(), a.containerId(), a.ifname())), this::forgetNote,
                    this::lastHeard, settings, transport::addSeed));
        }
        if (settings.routes() != null) {
            RouteReconciler routes = RouteReconciler.start(settings.routes(), peer.self(), this::peerHosts, registry);
            opened.add(routes);
            loop.watchRing(routes::publish);
        }

        registerMeters();
        http = HttpEndpoint.start(settings.metrics(), this::scrape, () -> loop.alive(5_000), this::notReadyBecause);
        opened.add(http);
        http.page("/ring", () -> RingRoute.page(loop));
        log.info("weftd {} serving: API {}, CNI {}, peers {}, metrics {}", peer.self(), api.path(),
                settings.cni() != null ? settings.cni().socket() : "off", settings.listen(), http.address());
    }

    /** Where this node's live holds are read, by the readmit at start and by succession. */
    private void addLiveHoldSources(Consumer<LiveHolds> moreLiveHolds) {
        liveHolds.add("libcni's result cache", new CacheHolds(new ResultsCache(settings.succession().resultsDir(),
                settings.universe()), registry));
        moreLiveHolds.accept(liveHolds);
    }

    /** With unique names, the trigger that takes over earlier installs under this name (see {@link Successor}). */
    private void startSuccession(PeerId self) {
        if (!settings.succession().uniqueNames()) {
            return;
        }
        successor = new Successor(() -> loop.read(Peer::ring), loop, self, this::lastHeard, liveHolds,
                System::currentTimeMillis, settings.removal().grace());
        opened.add(successor);
        successor.start();
    }

    private String successionState() {
        Successor s = successor;
        if (!settings.succession().uniqueNames()) {
            return "not needed: names are not unique per node (--unique-names is off)";
        }
        return s != null ? s.state() : "starting";
    }

    private Peer recover(Store s) throws StoreRefusedException, FoundingException {
        SecureRandom random = new SecureRandom();
        List<Record> records = s.records();
        PeerId self = null;
        boolean hasRing = false;
        for (Record r : records) {
            if (r instanceof Record.Identity id) {
                if (!id.self().name().equals(settings.name())) {
                    throw new StoreRefusedException("data folder " + s.folder() + " belongs to peer '"
                            + id.self().name() + "', but this weftd is named '" + settings.name()
                            + "': start it with --name " + id.self().name() + ", or give it its own --data-dir");
                }
                self = id.self();
            }
            hasRing |= r instanceof Record.Cluster;
        }
        Bootstrap bootstrap = settings.bootstrap();
        if (kube != null && !hasRing) {
            if (self == null) {
                // On disk before the founding record can name it: a founder that crashes after creating the
                // record comes back as the same install and founds, instead of waiting for itself forever.
                self = new PeerId(settings.name(), random.nextLong());
                try {
                    s.write(List.of(new Record.Identity(self)));
                } catch (IOException e) {
                    throw new StoreRefusedException("cannot write this install's identity to data folder " + s.folder()
                            + ": " + e.getMessage() + "; check the disk and its permissions", e);
                }
            }
            bootstrap = kube.founding().bootstrap(self, settings.universe());
        }
        CoreConfig config = settings.removal().applyTo(CoreConfig.defaults(settings.universe(), bootstrap)
                .withUniqueNames(settings.succession().uniqueNames()));
        if (records.isEmpty()) {
            self = self != null ? self : new PeerId(settings.name(), random.nextLong());
            log.info("new install {} in empty data folder {}", self, s.folder());
            return Peer.fresh(config, self, random.nextLong());
        }
        try {
            Peer p = Peer.recover(config, records, random.nextLong());
            log.info("recovered install {} from {}", p.self(), s.folder());
            return p;
        } catch (CorruptStateException e) {
            throw new StoreRefusedException("data folder " + s.folder() + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** Drops the CNI note of an attachment Kubernetes reconciliation released (its pod is long gone). */
    private void forgetNote(Note n) {
        try {
            cni.notes().removeIf(n.key(), n.addedAt());
        } catch (IOException e) {
            log.warn("cannot remove the CNI note of released {}: {}", n.key().replace('\n', '/'), e.getMessage());
        }
    }

    private void registerMeters() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        CoreMeters.register(registry, loop::view);
        transportCounters = new CoreMeters.TransportCounters(registry, transport::counters);
        Gauge.builder("weft_recovery_seconds", () -> recoverySeconds)
                .description("time from opening the store to the core being rebuilt").strongReference(true)
                .register(registry);
    }

    private String scrape() {
        transportCounters.refresh();
        return registry.scrape();
    }

    /** When each install was last heard from (by this peer or one it gossips with), wall-clock millis. */
    public Map<PeerId, Long> lastHeard() {
        Transport t = transport;
        return t == null ? Map.of() : t.lastHeard();
    }

    /** Each known peer's node address: the host part of where it is dialled. */
    private Map<PeerId, String> peerHosts() {
        Map<PeerId, String> out = new HashMap<>();
        for (Map.Entry<PeerId, HostPort> e : transport.addresses().entrySet()) {
            out.put(e.getKey(), e.getValue().host());
        }
        return out;
    }

    /** Null when ready; otherwise why not, for /readyz. */
    private String notReadyBecause() {
        if (!loop.alive(5_000)) {
            return "the event loop is not running";
        }
        var v = loop.view();
        return switch (v.phase()) {
            case READY -> null;
            case FORMING -> "the ring is forming: " + v.forming();
            case REMOVED -> "this install was removed from the cluster; it allocates nothing";
            case RECOVERING -> "restarted from its data folder: comparing its ring with the cluster before it serves";
            case RESTORED -> "its data folder is older than the cluster's view of it (a restored backup); it allocates"
                    + " nothing: move the folder aside and restart";
        };
    }

    public CoreGateway core() {
        return loop;
    }

    public Path socket() {
        return api.path();
    }

    public InetSocketAddress httpAddress() {
        return http.address();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", opened.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        opened.clear();
        if (loop != null) {
            log.info("weftd stopped; its ranges and addresses stay with it for its restart");
        }
    }
}
