package dev.weft.gossip;

import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.gossip.link.Handshake;
import dev.weft.gossip.link.Link;
import dev.weft.gossip.link.LinkMethod;
import dev.weft.gossip.link.RequireClientCertificate;
import dev.weft.gossip.member.Backoff;
import dev.weft.gossip.member.Directory;
import dev.weft.gossip.tls.ClusterCa;
import dev.weft.gossip.tls.CurrentLeaf;
import dev.weft.gossip.tls.Leaf;
import dev.weft.gossip.tls.TlsContexts;
import dev.weft.gossip.wire.BadFrameException;
import dev.weft.gossip.wire.Intake;
import dev.weft.gossip.wire.MessageEncoder;
import dev.weft.gossip.wire.Protocol;
import dev.weft.gossip.wire.Reject;
import dev.weft.gossip.wire.proto.CoreMessage;
import dev.weft.gossip.wire.proto.Frame;
import dev.weft.gossip.wire.proto.Refusal;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer transport: gRPC bidirectional streams on grpc-java's netty transport, mutual TLS under the
 * cluster CA, membership from seeds and known-peers lists, links opened on demand in a bounded pool.
 *
 * <p>All state lives on one loop thread; gRPC's threads parse and decode frames and hand the results to
 * it, and {@link Transport.Listener} calls are made from it, in order (a peer is up before its messages
 * arrive). See {@code peer-gossip/README.md} for the rules (when a peer is down, why there is no relaying).
 */
public final class GrpcTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcTransport.class);
    /** gRPC's own hard stop above the frame bound, so a slightly oversized frame is counted, not fatal. */
    private static final int GRPC_SLACK = 64 * 1024;
    /** Entries per known-peers list (and per hello, except a newcomer's): see {@link Directory#sample}. */
    private static final int KNOWN_SAMPLE = 32;
    /**
     * Kinds dropped rather than buffered when a peer's stream is backed up: ring state the core sends again
     * every round anyway. Grants, requests and Paxos messages are always buffered (they are few and small).
     */
    private static final Set<String> SHEDDABLE = Set.of("digest", "gossip");

    private final LinkConfig config;
    private final Bounds bounds;
    private final PeerId self;
    private final Supplier<ClusterId> cluster;
    private final Counters counters = new Counters();
    private final Intake intake;
    private final Directory directory;
    private final Backoff backoff;
    private final SplittableRandom random = new SplittableRandom();
    private final AtomicLong linkIds = new AtomicLong();

    private final ScheduledExecutorService loop;
    private EventLoopGroup netty;
    private Server server;
    private SslContext serverTls;
    private SslContext clientTls;
    private CurrentLeaf identity;
    private HostPort advertised;
    private volatile int port = -1;
    private Listener listener;
    private volatile boolean closed;

    // Loop-thread state.
    private final Set<Link> links = new LinkedHashSet<>();
    private final Map<PeerId, List<Link>> byPeer = new HashMap<>();
    private final Set<PeerId> up = new HashSet<>();
    private final Map<HostPort, Link> dialling = new HashMap<>();
    private final Map<PeerId, ArrayDeque<Queued>> queued = new HashMap<>();
    private final Map<HostPort, Integer> failures = new HashMap<>();
    private final Set<HostPort> redialScheduled = new HashSet<>();
    private final Set<HostPort> selfAddresses = new HashSet<>();
    private final Set<PeerId> warnedForeign = new HashSet<>();

    /** A frame waiting for its link to open. */
    private record Queued(String kind, byte[] frame) {}

    private GrpcTransport(LinkConfig config) {
        this.config = config;
        this.bounds = config.bounds();
        this.self = config.self();
        this.cluster = config.cluster();
        this.directory = new Directory(self);
        this.intake = new Intake(bounds.maxFrameBytes(), counters);
        this.backoff = new Backoff(bounds.backoffBase(), bounds.backoffMax());
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-link-" + self.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** The daemon's entry point: a transport for {@code config}, not yet listening (see {@link #start}). */
    public static GrpcTransport create(LinkConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("no link config given");
        }
        return new GrpcTransport(config);
    }

    /** The port this transport listens on (the chosen one when the config asked for port 0); -1 before start. */
    public int port() {
        return port;
    }

    /** How other peers dial this one; null before start. */
    public HostPort advertised() {
        return advertised;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void start(Listener listener) throws IOException {
        if (this.listener != null) {
            throw new IllegalStateException("transport already started");
        }
        this.listener = listener;
        setUpTls();
        netty = new NioEventLoopGroup(2, r -> {
            Thread t = new Thread(r, "weft-netty-" + self.name());
            t.setDaemon(true);
            return t;
        });
        ServerServiceDefinition service = ServerServiceDefinition.builder(LinkMethod.LINK.getServiceName())
                .addMethod(LinkMethod.LINK, ServerCalls.asyncBidiStreamingCall(this::accepted)).build();
        NettyServerBuilder sb = NettyServerBuilder
                .forAddress(new InetSocketAddress(config.listen().host(), config.listen().port()))
                .bossEventLoopGroup(netty).workerEventLoopGroup(netty).channelType(NioServerSocketChannel.class)
                .directExecutor()
                .maxInboundMessageSize(bounds.maxFrameBytes() + GRPC_SLACK)
                .keepAliveTime(bounds.keepalive().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(bounds.keepalive().toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(Math.max(1, bounds.keepalive().toMillis() / 2), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true);
        if (serverTls != null) {
            sb.sslContext(serverTls).addService(ServerInterceptors.intercept(service, new RequireClientCertificate(counters)));
        } else {
            sb.addService(service);
        }
        server = sb.build();
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw new IOException("cannot listen for peers on " + config.listen() + ": " + e.getMessage()
                    + " (is another weftd running, or the port taken? choose another with the listen address)", e);
        }
        port = server.getPort();
        advertised = config.advertise() != null ? config.advertise() : new HostPort(config.listen().host(), port);
        selfAddresses.add(advertised);
        selfAddresses.add(new HostPort(config.listen().host(), port));
        LOG.info("peer {} listening on {}:{}, advertised as {}, {} seed(s)", self, config.listen().host(), port, advertised,
                config.seeds().size());
        post(() -> {
            for (HostPort seed : config.seeds()) {
                if (!selfAddresses.contains(seed)) {
                    dial(seed, null);
                }
            }
        });
        long sweep = Math.max(50, Math.min(1_000, bounds.idleTimeout().toMillis() / 4));
        loop.scheduleWithFixedDelay(this::closeIdle, sweep, sweep, TimeUnit.MILLISECONDS);
        long m = bounds.membershipInterval().toMillis();
        loop.scheduleWithFixedDelay(this::shareKnownPeers, m, m, TimeUnit.MILLISECONDS);
    }

    private void setUpTls() throws IOException {
        if (config.credentials() instanceof Credentials.Plaintext) {
            counters.set("plaintext", 1);
            LOG.warn("!!! PLAINTEXT PEER LINKS: peer {} neither authenticates peers nor encrypts the ring. Anyone who"
                    + " can reach its port can join the cluster and hand out its addresses. Use only for tests;"
                    + " give the cluster CA's files for mutual TLS instead !!!", self);
            return;
        }
        Credentials.MutualTls tls = (Credentials.MutualTls) config.credentials();
        ClusterCa ca = ClusterCa.load(tls.caCert(), tls.caKey());
        List<String> hosts = new ArrayList<>();
        if (config.advertise() != null) {
            hosts.add(config.advertise().host());
        }
        hosts.add(config.listen().host());
        try {
            identity = new CurrentLeaf(issueLeaf(ca, hosts, tls));
            serverTls = TlsContexts.server(identity, counters);
            clientTls = TlsContexts.client(identity, counters);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue this peer's certificate from the cluster CA in " + tls.caCert() + ": "
                    + e.getMessage(), e);
        }
        // A fresh leaf at half its lifetime, so a long-running peer never presents an expired one.
        long half = Math.max(1_000, tls.leafLifetime().toMillis() / 2);
        loop.scheduleWithFixedDelay(() -> {
            try {
                identity.replace(issueLeaf(ca, hosts, tls));
                counters.inc("tls.leaf_reissued");
            } catch (GeneralSecurityException e) {
                LOG.error("could not reissue this peer's certificate; the current one expires at {}: {}",
                        identity.leaf().certificate().getNotAfter(), e.getMessage());
            }
        }, half, half, TimeUnit.MILLISECONDS);
    }

    private Leaf issueLeaf(ClusterCa ca, List<String> hosts, Credentials.MutualTls tls) throws GeneralSecurityException {
        Instant now = Instant.now();
        return Leaf.issue(ca, self.name(), hosts, now.minusSeconds(300), now.plus(tls.leafLifetime()));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Link> open = new ArrayList<>();
        try {
            loop.submit(() -> {
                for (Link l : new ArrayList<>(links)) {
                    l.abort("peer " + self + " is shutting down");
                    open.add(l);
                }
                links.clear();
                byPeer.clear();
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("closing links of {}: {}", self, e.toString());
        }
        loop.shutdownNow();
        try {
            // Channels first, then the server, then the threads they run on: netty complains otherwise.
            long deadline = System.nanoTime() + 2_000_000_000L;
            for (Link l : open) {
                l.awaitReleased(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            if (server != null) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (netty != null) {
            netty.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(5_000);
        }
        counters.set("links.open", 0);
    }

    // ------------------------------------------------------------------ the Transport contract

    @Override
    public void send(PeerId to, Message message) {
        if (closed) {
            return;
        }
        CoreMessage cm = MessageEncoder.encode(message);
        String kind = MessageEncoder.kind(cm);
        byte[] bytes = Frame.newBuilder().setMessage(cm).build().toByteArray();
        if (bytes.length > bounds.maxFrameBytes()) {
            counters.inc("dropped.too_large");
            LOG.error("not sending a {} of {} bytes to {}: over the frame bound of {} bytes; raise the max frame size"
                    + " on every peer", kind, bytes.length, to, bounds.maxFrameBytes());
            return;
        }
        post(() -> sendNow(to, kind, bytes));
    }

    @Override
    public Map<PeerId, Long> lastHeard() {
        try {
            return loop.submit(directory::lastHeard).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Map.of();
        }
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    // ------------------------------------------------------------------ sending

    private void sendNow(PeerId to, String kind, byte[] frame) {
        Link link = best(to);
        if (link != null) {
            if (!link.ready() && SHEDDABLE.contains(kind)) {
                counters.inc("dropped.backpressure");
                return;
            }
            write(link, kind, frame);
            return;
        }
        HostPort address = directory.addressOf(to);
        if (address == null) {
            counters.inc("dropped.no_address");
            return;
        }
        ArrayDeque<Queued> q = queued.computeIfAbsent(to, k -> new ArrayDeque<>());
        if (q.size() >= bounds.sendQueue()) {
            counters.inc("dropped.queue_full");
            return;
        }
        q.add(new Queued(kind, frame));
        counters.inc("queued." + kind);
        if (!dialling.containsKey(address)) {
            dial(address, to);
        }
    }

    private void write(Link link, String kind, byte[] frame) {
        link.write(frame, millis());
        counters.add("bytes.out", frame.length);
        counters.add("bytes.out." + kind, frame.length);
        counters.inc("messages.out." + kind);
    }

    /** The most recently used established link to {@code peer}, or null. */
    private Link best(PeerId peer) {
        List<Link> ls = byPeer.get(peer);
        Link best = null;
        if (ls != null) {
            for (Link l : ls) {
                if (l.established() && (best == null || l.lastActivity() > best.lastActivity())) {
                    best = l;
                }
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ opening links

    private void dial(HostPort address, PeerId expected) {
        if (closed || dialling.containsKey(address) || selfAddresses.contains(address)) {
            return;
        }
        NettyChannelBuilder cb = NettyChannelBuilder.forAddress(address.host(), address.port())
                .eventLoopGroup(netty).channelType(NioSocketChannel.class).directExecutor()
                .maxInboundMessageSize(bounds.maxFrameBytes() + GRPC_SLACK)
                .keepAliveTime(bounds.keepalive().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(bounds.keepalive().toMillis(), TimeUnit.MILLISECONDS)
                .disableRetry();
        if (clientTls != null) {
            cb.sslContext(clientTls);
        } else {
            cb.usePlaintext();
        }
        ManagedChannel channel = cb.build();
        ClientCall<byte[], byte[]> call = channel.newCall(LinkMethod.LINK, CallOptions.DEFAULT);
        Link link = new Link(linkIds.incrementAndGet(), Link.Side.DIALLED, address, expected, channel,
                clientTls == null ? null : () -> certifiedName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)),
                millis());
        StreamObserver<byte[]> out = ClientCalls.asyncBidiStreamingCall(call, inbound(link));
        link.attach(out);
        links.add(link);
        dialling.put(address, link);
        counters.inc("links.dialled");
        write(link, "hello", helloFrame(false));
    }

    private StreamObserver<byte[]> accepted(StreamObserver<byte[]> out) {
        String certified = clientTls == null ? null : RequireClientCertificate.certifiedName();
        Link link = new Link(linkIds.incrementAndGet(), Link.Side.ACCEPTED, null, null, null,
                certified == null ? null : () -> certified, millis());
        link.attach(out);
        post(() -> {
            links.add(link);
            counters.inc("links.accepted");
        });
        return inbound(link);
    }

    /** With {@code everyone}, the whole directory (for a newcomer); otherwise a sample. */
    private byte[] helloFrame(boolean everyone) {
        List<Directory.Known> known = everyone ? directory.all() : directory.sample(KNOWN_SAMPLE, random);
        return Frame.newBuilder().setHello(Handshake.hello(Protocol.CURRENT, self, cluster.get(), advertised,
                Handshake.knownPeers(self, advertised, System.currentTimeMillis(), known))).build().toByteArray();
    }

    // ------------------------------------------------------------------ receiving

    /** Runs on gRPC's threads: parse and decode there, act on the loop. */
    private StreamObserver<byte[]> inbound(Link link) {
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] bytes) {
                Intake.Item item = intake.take(bytes);
                if (item instanceof Intake.Core c) {
                    post(() -> deliver(link, c.kind(), c.message()));
                } else if (item instanceof Intake.Control c) {
                    post(() -> control(link, c.frame()));
                } else if (item instanceof Intake.Bad b) {
                    post(() -> logRejected(link, b.error()));
                }
            }

            @Override
            public void onError(Throwable t) {
                post(() -> failed(link, Status.fromThrowable(t)));
            }

            @Override
            public void onCompleted() {
                post(() -> ended(link));
            }
        };
    }

    private void control(Link link, Frame f) {
        if (link.closed()) {
            return;
        }
        link.touched(millis());
        switch (f.getKindCase()) {
            case HELLO -> hello(link, f);
            case KNOWN -> {
                if (!link.established()) {
                    rejected(link, new BadFrameException(Reject.OUT_OF_ORDER, "a known-peers list before the hello"));
                    return;
                }
                learn(Handshake.known(f.getKnown().getPeersList()));
            }
            case REFUSAL -> {
                counters.inc("refused_by_peer");
                LOG.warn("{} refused our link: {}", link, f.getRefusal().getReason());
                failed(link, Status.PERMISSION_DENIED.withDescription(f.getRefusal().getReason()));
            }
            default -> rejected(link, new BadFrameException(Reject.MALFORMED, "a frame of no kind this peer knows"));
        }
    }

    private void hello(Link link, Frame f) {
        if (link.peer() != null) {
            rejected(link, new BadFrameException(Reject.OUT_OF_ORDER, "a second hello on one link"));
            return;
        }
        Handshake.Greeting g;
        try {
            g = Handshake.check(f.getHello(), Protocol.CURRENT, self, cluster.get(), link.certifiedName());
        } catch (BadFrameException e) {
            refuse(link, e);
            return;
        }
        if (link.side == Link.Side.ACCEPTED) {
            // A dialler that knows far fewer peers than we do is new: it gets the whole directory once.
            write(link, "hello", helloFrame(g.known().size() < directory.size() / 2));
        } else {
            dialling.remove(link.dialled, link);
        }
        link.establish(g.peer());
        byPeer.computeIfAbsent(g.peer(), k -> new ArrayList<>()).add(link);
        directory.heardFrom(g.peer(), g.listen(), System.currentTimeMillis());
        failures.remove(g.listen());
        if (link.dialled != null) {
            failures.remove(link.dialled);
        }
        counters.set("links.open", countEstablished());
        if (up.add(g.peer())) {
            LOG.info("peer {} up ({}, protocol {})", g.peer(), link, g.protocol());
            listener.onPeerUp(g.peer());
        }
        if (link.expected != null && !link.expected.equals(g.peer())) {
            // The address now belongs to another install (the old one lost its data and came back anew).
            dropQueued(link.expected, "dropped.unreachable");
            lost(link.expected);
        }
        ArrayDeque<Queued> q = queued.remove(g.peer());
        if (q != null) {
            for (Queued m : q) {
                write(link, m.kind(), m.frame());
            }
        }
        learn(g.known());
        trimPool(link);
    }

    private void deliver(Link link, String kind, Message m) {
        if (link.closed()) {
            return;
        }
        if (!link.established()) {
            rejected(link, new BadFrameException(Reject.OUT_OF_ORDER, "a " + kind + " before the hello"));
            return;
        }
        ClusterId theirs = clusterOf(m);
        ClusterId ours = cluster.get();
        if (theirs != null && ours != null && !theirs.equals(ours)) {
            counters.inc(Reject.WRONG_CLUSTER.counter());
            if (warnedForeign.add(link.peer())) {
                LOG.error("peer {} sends rings of cluster {} but this peer belongs to {}: they were bootstrapped"
                        + " separately and will not merge; wipe the odd one's data folder and point it at this"
                        + " cluster's seeds", link.peer(), theirs, ours);
            }
            return;
        }
        link.touched(millis());
        directory.heardFrom(link.peer(), null, System.currentTimeMillis());
        counters.inc("messages.in." + kind);
        listener.onMessage(link.peer(), m);
    }

    private static ClusterId clusterOf(Message m) {
        if (m instanceof Message.Digest d) {
            return d.cluster();
        }
        if (m instanceof Message.Gossip g) {
            return g.piece().cluster();
        }
        if (m instanceof Message.SpaceGrant g) {
            return g.change().cluster();
        }
        return null;
    }

    /** A bad frame is counted and dropped; the link stays (a single bad frame is no reason to cut a peer off). */
    private void rejected(Link link, BadFrameException e) {
        counters.inc(e.reason().counter());
        logRejected(link, e);
    }

    private static void logRejected(Link link, BadFrameException e) {
        if (link.badFrame()) {
            LOG.warn("rejected a frame on {} ({}): {}", link, e.reason(), e.getMessage());
        }
    }

    /** A hello that fails its checks: say why to the other side, log it here, and close. */
    private void refuse(Link link, BadFrameException e) {
        counters.inc(e.reason().counter());
        if (link.dialled != null) {
            dialling.remove(link.dialled, link);
        }
        if (e.getMessage().startsWith("this is a link to ourselves")) {
            selfAddresses.add(link.dialled != null ? link.dialled : advertised);
            LOG.info("{}; not dialling it again", e.getMessage());
        } else {
            LOG.warn("refused link {}: {}", link, e.getMessage());
            write(link, "refusal", Frame.newBuilder().setRefusal(Refusal.newBuilder().setReason(e.getMessage())
                    .setProtocol(Protocol.CURRENT)).build().toByteArray());
            if (link.dialled != null) {
                scheduleRedial(link.dialled, link.expected);
            }
        }
        links.remove(link);
        link.close();
    }

    private void learn(List<Directory.Known> known) {
        for (Directory.Known k : known) {
            if (directory.learn(k.peer(), k.address(), k.lastHeard()) && !up.contains(k.peer())) {
                // New to us: probe it, so the core hears it is up (the link idles out later if unused).
                dial(k.address(), k.peer());
            }
        }
    }

    // ------------------------------------------------------------------ links ending

    /** The stream failed (connect refused, reset, keepalive lost, refused by the other side). */
    private void failed(Link link, Status status) {
        if (!links.contains(link)) {
            return; // Already closed by us, or already handled.
        }
        forget(link);
        if (closed) {
            return;
        }
        PeerId peer = link.peer() != null ? link.peer() : link.expected;
        LOG.info("link {} failed: {} {}", link, status.getCode(), status.getDescription() == null ? "" : status.getDescription());
        if (peer != null) {
            dropQueued(peer, "dropped.unreachable");
            if (best(peer) == null) {
                lost(peer);
            }
        }
        HostPort address = link.dialled != null ? link.dialled : peer != null ? directory.addressOf(peer) : null;
        if (address != null && (peer == null || !directory.superseded(peer))) {
            scheduleRedial(address, peer);
        }
    }

    /** The other side ended the stream in order (idle or pool full there): the peer is not down. */
    private void ended(Link link) {
        if (!links.contains(link)) {
            return;
        }
        link.close();
        forget(link);
        PeerId peer = link.peer() != null ? link.peer() : link.expected;
        if (peer != null && best(peer) == null && queued.containsKey(peer)) {
            HostPort a = directory.addressOf(peer);
            if (a != null) {
                dial(a, peer);
            }
        }
    }

    private void forget(Link link) {
        link.ended();
        links.remove(link);
        if (link.dialled != null) {
            dialling.remove(link.dialled, link);
        }
        if (link.peer() != null) {
            List<Link> ls = byPeer.get(link.peer());
            if (ls != null) {
                ls.remove(link);
                if (ls.isEmpty()) {
                    byPeer.remove(link.peer());
                }
            }
        }
        counters.set("links.open", countEstablished());
    }

    private void lost(PeerId peer) {
        if (up.remove(peer)) {
            LOG.info("peer {} down", peer);
            listener.onPeerDown(peer);
        }
    }

    private void dropQueued(PeerId peer, String counter) {
        ArrayDeque<Queued> q = queued.remove(peer);
        if (q != null) {
            counters.add(counter, q.size());
        }
    }

    private void scheduleRedial(HostPort address, PeerId peer) {
        if (closed || !redialScheduled.add(address)) {
            return;
        }
        int n = failures.merge(address, 1, Integer::sum);
        long delay = backoff.delayMillis(n, random);
        counters.inc("redials");
        try {
            loop.schedule(() -> {
                redialScheduled.remove(address);
                if (peer != null && (up.contains(peer) && best(peer) != null || directory.superseded(peer))) {
                    return;
                }
                dial(address, peer);
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down.
        }
    }

    // ------------------------------------------------------------------ the pool

    private void trimPool(Link keep) {
        while (countEstablished() > bounds.maxLinks()) {
            Link oldest = null;
            for (Link l : links) {
                if (l != keep && l.established() && (oldest == null || l.lastActivity() < oldest.lastActivity())) {
                    oldest = l;
                }
            }
            if (oldest == null) {
                return;
            }
            counters.inc("links.evicted");
            oldest.close();
            forget(oldest);
        }
    }

    private void closeIdle() {
        long cutoff = millis() - bounds.idleTimeout().toMillis();
        for (Link l : new ArrayList<>(links)) {
            if (l.established() && l.lastActivity() < cutoff) {
                counters.inc("links.idle_closed");
                l.close();
                forget(l);
            }
        }
    }

    private void shareKnownPeers() {
        List<Link> open = new ArrayList<>();
        for (Link l : links) {
            if (l.established()) {
                open.add(l);
            }
        }
        if (open.isEmpty()) {
            return;
        }
        Link to = open.get(random.nextInt(open.size()));
        byte[] frame = Frame.newBuilder().setKnown(Handshake.knownPeers(self, advertised, System.currentTimeMillis(),
                directory.sample(KNOWN_SAMPLE, random))).build().toByteArray();
        if (frame.length <= bounds.maxFrameBytes()) {
            write(to, "known", frame);
        }
    }

    private int countEstablished() {
        int n = 0;
        for (Link l : links) {
            if (l.established()) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ plumbing

    private void post(Runnable r) {
        if (closed) {
            return;
        }
        try {
            loop.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.error("peer transport of {}: unexpected error, continuing", self, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down: nothing more to do.
        }
    }

    private static long millis() {
        return System.nanoTime() / 1_000_000;
    }

    private static String certifiedName(SSLSession session) {
        if (session == null) {
            return "";
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Leaf.peerName(x) : "";
        } catch (SSLPeerUnverifiedException e) {
            return "";
        }
    }
}
