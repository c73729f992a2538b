package dev.weft.daemon.cni;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CoreConfig;
import dev.weft.core.node.Input;
import dev.weft.core.node.Output;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Record;
import dev.weft.core.node.Reply;
import dev.weft.core.node.Result;
import dev.weft.core.node.Status;
import dev.weft.core.peer.PeerId;
import dev.weft.daemon.loop.CoreGateway;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * A test-only gateway over a real core {@link Peer} on one thread, its records kept in memory: persist,
 * then reply, as the daemon's loop does. {@link #restart} rebuilds the peer from those records.
 */
final class TestLoop implements CoreGateway, AutoCloseable {
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            Threads.named("test-loop"));
    private final CoreConfig config;
    private final Map<String, Record> store = new LinkedHashMap<>();
    private final Map<Long, CompletableFuture<Result>> waiting = new HashMap<>();
    private final long start = System.nanoTime();
    private Peer peer;
    private long nextId;

    /** One node that forms its ring alone, or ({@code alone == false}) one that waits forever for a second seed. */
    TestLoop(Cidr universe, boolean alone) {
        config = CoreConfig.defaults(universe, new Bootstrap.Seeds(alone ? List.of("node1") : List.of("node1", "node2")));
        peer = Peer.fresh(config, new PeerId("node1", 1), 7);
        loop.scheduleAtFixedRate(() -> apply(peer.handle(now(), new Input.Tick())), 0, 10, TimeUnit.MILLISECONDS);
        if (alone) {
            awaitReady();
        }
    }

    static TestLoop ready() {
        return new TestLoop(Cidr.parse("10.32.0.0/12"), true);
    }

    private long now() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void apply(Output out) {
        for (Record r : out.persist()) {
            if (r.deletes()) {
                store.remove(r.key());
            } else {
                store.put(r.key(), r);
            }
        }
        for (Reply reply : out.replies()) {
            CompletableFuture<Result> f = waiting.remove(reply.id());
            if (f != null) {
                f.complete(reply.result());
            }
        }
    }

    @Override
    public CompletableFuture<Result> submit(LongFunction<? extends Input.Request> request) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        loop.execute(() -> {
            long id = ++nextId;
            waiting.put(id, f);
            apply(peer.handle(now(), request.apply(id)));
        });
        return f;
    }

    @Override
    public <T> CompletableFuture<T> read(Function<Peer, T> query) {
        return CompletableFuture.supplyAsync(() -> query.apply(peer), loop);
    }

    /** What a crash and a restart leave: a peer rebuilt from the records alone. */
    void restart() {
        read(p -> {
            try {
                peer = Peer.recover(config, List.copyOf(store.values()), 8);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return null;
        }).join();
        awaitReady();
    }

    int held() {
        return read(p -> p.space().heldCount()).join();
    }

    private void awaitReady() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (read(p -> p.status().phase()).join() != Status.Phase.READY) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the test peer did not form its ring");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
