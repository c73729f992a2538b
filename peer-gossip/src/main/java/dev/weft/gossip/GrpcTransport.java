package dev.weft.gossip;

import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.gossip.link.Channels;
import dev.weft.gossip.link.Handshake;
import dev.weft.gossip.link.Link;
import dev.weft.gossip.link.LinkMethod;
import dev.weft.gossip.link.Links;
import dev.weft.gossip.link.RequireClientCertificate;
import dev.weft.gossip.member.Backoff;
import dev.weft.gossip.member.Directory;
import dev.weft.gossip.tls.Leaf;
import dev.weft.gossip.tls.PeerTls;
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
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
    /** Entries per known-peers list (and per hello, except a newcomer's): see {@link Directory#sample}. */
    private static final int KNOWN_SAMPLE = 32;
    /**
     * Kinds dropped rather than buffered when a peer's stream is backed up: ring state the core sends again
     * every round anyway. Grants, requests and Paxos messages are always buffered (they are few and small).
     */
    private static final Set<String> SHEDDABLE = Set.of("digest", "gossip", "segment_digests", "segment_entries");

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
    private PeerTls tls;
    private HostPort advertised;
    private volatile int port = -1;
    private Listener listener;
    private volatile boolean closed;

    // Loop-thread state.
    private final Links links = new Links();
    private final Set<PeerId> up = new HashSet<>();
    private final Map<PeerId, ArrayDeque<Queued>> queued = new HashMap<>();
    private final Map<HostPort, Integer> failures = new HashMap<>();
    private final Set<HostPort> redialScheduled = new HashSet<>();
    private final Set<HostPort> selfAddresses = new HashSet<>();
    private final Set<PeerId> warnedForeign = new HashSet<>();

    /**
     * A message as framed for each protocol version a link may speak: {@code frame} for ours, {@code previous}
     * for the one before (the same array when that version has the message as it is, null when it has no form
     * of it). A frame waits in this form for its link to open, since only the hello tells the version.
     */
    private record Queued(String kind, byte[] frame, String previousKind, byte[] previous) {
        /** The kind and frame for a link speaking {@code protocol}; a null frame when it cannot carry it. */
        Queued on(int protocol) {
            return protocol >= Protocol.CURRENT ? this : new Queued(previousKind, previous, previousKind, previous);
        }
    }

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
        try {
            tls = PeerTls.start(self, config.credentials(), config.listen(), config.advertise(), counters, loop);
        } catch (IOException e) {
            close(); // nothing may keep running after a failed start
            throw e;
        }
        netty = new NioEventLoopGroup(2, r -> {
            Thread t = new Thread(r, "weft-netty-" + self.name());
            t.setDaemon(true);
            return t;
        });
        ServerServiceDefinition service = ServerServiceDefinition.builder(LinkMethod.LINK.getServiceName())
                .addMethod(LinkMethod.LINK, ServerCalls.asyncBidiStreamingCall(this::accepted)).build();
        NettyServerBuilder sb = Channels.server(config.listen(), bounds, netty, tls.server());
        sb.addService(tls.server() == null ? service
                : ServerInterceptors.intercept(service, new RequireClientCertificate(counters)));
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

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Link> open = new ArrayList<>();
        try {
            loop.submit(() -> {
                for (Link l : links.clear()) {
                    l.abort("peer " + self + " is shutting down");
                    open.add(l);
                }
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
    public void addSeed(HostPort address) {
        post(() -> {
            if (tls == null || selfAddresses.contains(address) || links.dialling(address)
                    || redialScheduled.contains(address)) {
                return;
            }
            for (PeerId p : up) {
                if (address.equals(directory.addressOf(p))) {
                    return; // linked already
                }
            }
            dial(address, null);
        });
    }

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
        Message older = MessageEncoder.forPrevious(message);
        Queued q;
        if (older == message) {
            q = new Queued(kind, bytes, kind, bytes);
        } else if (older == null) {
            q = new Queued(kind, bytes, kind, null);
        } else {
            CoreMessage oc = MessageEncoder.encode(older);
            q = new Queued(kind, bytes, MessageEncoder.kind(oc), Frame.newBuilder().setMessage(oc).build().toByteArray());
        }
        post(() -> sendNow(to, q));
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
    public Map<PeerId, HostPort> addresses() {
        try {
            return loop.submit(directory::addresses).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the transport for peer addresses", e);
        } catch (Exception e) {
            throw new IllegalStateException("the transport did not say where peers are (" + e + ")", e);
        }
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    // ------------------------------------------------------------------ sending

    private void sendNow(PeerId to, Queued message) {
        Link link = links.best(to);
        if (link != null) {
            if (!link.ready() && SHEDDABLE.contains(message.kind())) {
                counters.inc("dropped.backpressure");
                return;
            }
            writeAs(link, message);
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
        q.add(message);
        counters.inc("queued." + message.kind());
        if (!links.dialling(address)) {
            dial(address, to);
        }
    }

    /** Writes a core message in the form the link's protocol version has for it, or counts that it has none. */
    private void writeAs(Link link, Queued message) {
        Queued as = message.on(link.protocol());
        if (as.frame() == null) {
            counters.inc("dropped.old_version");
            return;
        }
        write(link, as.kind(), as.frame());
    }

    private void write(Link link, String kind, byte[] frame) {
        link.write(frame, millis());
        counters.add("bytes.out", frame.length);
        counters.add("bytes.out." + kind, frame.length);
        counters.inc("messages.out." + kind);
    }

    // ------------------------------------------------------------------ opening links

    private void dial(HostPort address, PeerId expected) {
        if (closed || links.dialling(address) || selfAddresses.contains(address)) {
            return;
        }
        ManagedChannel channel = Channels.to(address, bounds, netty, tls.client());
        ClientCall<byte[], byte[]> call = channel.newCall(LinkMethod.LINK, CallOptions.DEFAULT);
        // On TLS links the name the server's certificate was issued to; "" (matching no hello) if it had none.
        Supplier<String> certified = tls.client() == null ? null : () -> {
            String name = Leaf.certifiedName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            return name == null ? "" : name;
        };
        Link link = new Link(linkIds.incrementAndGet(), Link.Side.DIALLED, address, expected, channel, certified, millis());
        link.attach(ClientCalls.asyncBidiStreamingCall(call, inbound(link)));
        links.opened(link);
        counters.inc("links.dialled");
        write(link, "hello", helloFrame(false));
    }

    private StreamObserver<byte[]> accepted(StreamObserver<byte[]> out) {
        String certified = tls.server() == null ? null : RequireClientCertificate.certifiedName();
        Link link = new Link(linkIds.incrementAndGet(), Link.Side.ACCEPTED, null, null, null,
                certified == null ? null : () -> certified, millis());
        link.attach(out);
        post(() -> {
            links.opened(link);
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
        }
        link.establish(g.peer(), g.protocol());
        links.established(link);
        directory.heardFrom(g.peer(), g.listen(), System.currentTimeMillis());
        failures.remove(g.listen());
        if (link.dialled != null) {
            failures.remove(link.dialled);
        }
        counters.set("links.open", links.established().size());
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
                writeAs(link, m);
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
        links.remove(link);
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
        link.close(); // in order, after the refusal frame
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
        String tls = tlsRefusal(status);
        if (tls != null) {
            counters.inc("refused_by_peer");
            LOG.warn("TLS handshake on {} failed ({}{}): every peer needs the same cluster CA files", link, tls,
                    tls.contains("fatal alert") ? ", sent by the other side: it refused our certificate" : "");
        } else if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            counters.inc("refused_by_peer");
            LOG.warn("{} refused our link: {}", link, status.getDescription());
        } else {
            LOG.info("link {} failed: {} {}", link, status.getCode(), status.getDescription() == null ? "" : status.getDescription());
        }
        if (peer != null) {
            dropQueued(peer, "dropped.unreachable");
            if (links.best(peer) == null) {
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
        if (peer != null && links.best(peer) == null && queued.containsKey(peer)) {
            HostPort a = directory.addressOf(peer);
            if (a != null) {
                dial(a, peer);
            }
        }
    }

    private void forget(Link link) {
        link.ended();
        links.remove(link);
        counters.set("links.open", links.established().size());
    }

    /** The TLS handshake's own reason, when that is why a link failed; else null. */
    private static String tlsRefusal(Status status) {
        for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return t.getMessage();
            }
        }
        return null;
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
                if (peer != null && (up.contains(peer) && links.best(peer) != null || directory.superseded(peer))) {
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
        while (links.established().size() > bounds.maxLinks()) {
            Link oldest = links.leastRecentlyUsed(keep);
            if (oldest == null) {
                return;
            }
            counters.inc("links.evicted");
            oldest.close();
            forget(oldest);
        }
    }

    private void closeIdle() {
        for (Link l : links.idleSince(millis() - bounds.idleTimeout().toMillis())) {
            counters.inc("links.idle_closed");
            l.close();
            forget(l);
        }
    }

    private void shareKnownPeers() {
        List<Link> open = links.established();
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
}
