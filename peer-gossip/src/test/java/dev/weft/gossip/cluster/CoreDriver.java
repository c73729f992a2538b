package dev.weft.gossip.cluster;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CoreConfig;
import dev.weft.core.node.Envelope;
import dev.weft.core.node.Input;
import dev.weft.core.node.Message;
import dev.weft.core.node.Output;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Record;
import dev.weft.core.node.Reply;
import dev.weft.core.node.Result;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Ring;
import dev.weft.gossip.Bounds;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.GrpcTransport;
import dev.weft.gossip.HostPort;
import dev.weft.gossip.LinkConfig;
import dev.weft.gossip.Transport;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * A small daemon for tests: one real core {@link Peer}, its records in memory, ticked every 100 ms on its
 * own thread (the event loop), and a real {@link GrpcTransport}. It drives the core as the daemon does:
 * persist, then send, then reply.
 */
final class CoreDriver implements Transport.Listener, AutoCloseable {
    static final long TICK_MILLIS = 100;

    final PeerId id;
    private final Peer peer;
    private final Map<String, Record> records = new LinkedHashMap<>();
    private final ScheduledExecutorService loop;
    private final Map<Long, CompletableFuture<Result>> waiting = new HashMap<>();
    private final long started = System.nanoTime();
    private long nextRequest = 1;
    private volatile GrpcTransport transport;
    private final List<HostPort> seeds;
    private final Credentials credentials;
    private final Bounds bounds;
    /** "up:name" / "down:name", in the order the transport reported them. */
    final List<String> events = new CopyOnWriteArrayList<>();
    /** Messages this core sent that carry its whole ring (a peer that has one should never need one). */
    final java.util.concurrent.atomic.AtomicLong wholeRingsSent = new java.util.concurrent.atomic.AtomicLong();

    CoreDriver(String name, long uid, CoreConfig config, List<HostPort> seeds, Credentials credentials, Bounds bounds) {
        this.id = new PeerId(name, uid);
        this.peer = Peer.fresh(config, id, uid * 31 + 7);
        this.seeds = seeds;
        this.credentials = credentials;
        this.bounds = bounds;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "driver-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    static CoreConfig config(Bootstrap bootstrap) {
        // The simulator's gossip interval (500 ms); a free count reported once it has been
        // unchanged for a second (production: a minute), so tests see changes.
        return new CoreConfig(CoreConfig.DEFAULT_UNIVERSE, bootstrap, 500, 3, 2_000, 10_000, 500, 1_000, 60_000, 1_000);
    }

    /** Starts the transport on {@code port} (0 = any) and the ticking. */
    CoreDriver start(int port) throws IOException {
        startTransport(port);
        loop.scheduleAtFixedRate(() -> step(new Input.Tick()), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void startTransport(int port) throws IOException {
        GrpcTransport t = GrpcTransport.create(new LinkConfig(id, new HostPort("127.0.0.1", port), null, seeds, credentials,
                this::cluster, bounds));
        t.start(this);
        transport = t;
    }

    /** Cuts this peer off (its server and links stop), keeping its core as it is. */
    void cut() {
        transport.close();
    }

    /** A new transport on the same port, as a restarted link layer would have. */
    void restore() throws IOException {
        startTransport(port());
    }

    int port() {
        return transport.port();
    }

    HostPort address() {
        return transport.advertised();
    }

    GrpcTransport transport() {
        return transport;
    }

    private ClusterId cluster() {
        Ring r = ringUnsafe;
        return r == null ? null : r.cluster();
    }

    /** Written by the loop after every step, read by the transport's threads for handshakes. */
    private volatile Ring ringUnsafe;

    private void step(Input input) {
        long now = (System.nanoTime() - started) / 1_000_000;
        Output out = peer.handle(now, input);
        for (Record r : out.persist()) {
            if (r.deletes()) {
                records.remove(r.key());
            } else {
                records.put(r.key(), r);
            }
        }
        ringUnsafe = peer.ring();
        for (Envelope e : out.send()) {
            if (e.message() instanceof Message.Gossip g && g.piece().complete()) {
                wholeRingsSent.incrementAndGet();
            }
            transport.send(e.to(), e.message());
        }
        for (Reply r : out.replies()) {
            CompletableFuture<Result> f = waiting.remove(r.id());
            if (f != null) {
                f.complete(r.result());
            }
        }
    }

    CompletableFuture<Result> submit(LongFunction<? extends Input.Request> request) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        loop.execute(() -> {
            long id = nextRequest++;
            waiting.put(id, f);
            step(request.apply(id));
        });
        return f;
    }

    <T> T read(Function<Peer, T> query) {
        try {
            return loop.submit(() -> query.apply(peer)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("driver " + id + " did not answer", e);
        }
    }

    int recordCount() {
        return read(p -> records.size());
    }

    @Override
    public void onMessage(PeerId from, Message message) {
        loop.execute(() -> step(new Input.Receive(from, message)));
    }

    @Override
    public void onPeerUp(PeerId p) {
        events.add("up:" + p.name());
        loop.execute(() -> step(new Input.PeerUp(p)));
    }

    @Override
    public void onPeerDown(PeerId p) {
        events.add("down:" + p.name());
        loop.execute(() -> step(new Input.PeerDown(p)));
    }

    @Override
    public void close() {
        GrpcTransport t = transport;
        if (t != null) {
            t.close();
        }
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
