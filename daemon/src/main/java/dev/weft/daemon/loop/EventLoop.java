package dev.weft.daemon.loop;

import dev.weft.core.node.Alarm;
import dev.weft.core.node.Envelope;
import dev.weft.core.node.Input;
import dev.weft.core.node.Message;
import dev.weft.core.node.Output;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Reply;
import dev.weft.core.node.Result;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.daemon.metrics.LoopMeters;
import dev.weft.gossip.Transport;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the core's {@link Peer}. API requests, reads, peer messages and ticks are
 * queued to it; each step's records go into the open {@link Batch}, which is handed to the
 * {@link Committer} whenever no sync is in flight (group commit). A step's messages and answers leave only
 * after its batch and every earlier one is synced, in step order.
 */
public final class EventLoop implements CoreGateway, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    /** Tasks taken per wake-up before the open batch is offered to the committer. */
    private static final int DRAIN = 4096;

    private sealed interface Task {}

    private record Submit(LongFunction<? extends Input.Request> request, CompletableFuture<Result> future, long start)
            implements Task {}

    private record Read<T>(Function<Peer, T> query, CompletableFuture<T> future) implements Task {}

    private record Event(Input input) implements Task {}

    private record Synced(IOException failure) implements Task {}

    private record Stop() implements Task {}

    private record Waiting(CompletableFuture<Result> future, String kind, long start) {}

    private final Peer peer;
    private final LongSupplier clock;
    private final long tickMillis;
    private final LoopMeters meters;
    private final Committer committer;
    private final StateLog stateLog;
    private final Consumer<Throwable> fatal;
    private final BlockingQueue<Task> inbox = new LinkedBlockingQueue<>();
    private final Map<Long, Waiting> waiting = new HashMap<>();
    private final Thread thread;

    private volatile Transport transport;
    private volatile boolean accepting = true;
    private volatile long heartbeat;
    private volatile CoreView view;
    private volatile Consumer<Ring> ringWatcher;
    private Ring published;

    private Batch open = new Batch();
    private boolean syncing;
    private boolean stopping;
    private long nextId = 1;
    private long nextTick;

    /**
     * @param fatal called once, from the commit thread, when the store cannot be written: the loop has then
     *              stopped and the daemon must exit (so its supervisor restarts it on a sound store)
     */
    public EventLoop(Peer peer, BatchWriter store, LongSupplier clock, long tickMillis, LoopMeters meters,
            Consumer<Throwable> fatal) {
        this.peer = peer;
        this.clock = clock;
        this.tickMillis = tickMillis;
        this.meters = meters;
        this.committer = new Committer(store, meters);
        this.stateLog = new StateLog(peer.self());
        this.fatal = fatal;
        this.view = CoreView.of(peer.status(), Map.of());
        this.thread = new Thread(this::run, "weft-loop");
    }

    public void start() {
        heartbeat = System.nanoTime();
        thread.start();
    }

    /** Where the core's messages go once the transport is up; before that they are dropped and counted. */
    public void attach(Transport t) {
        this.transport = t;
    }

    /**
     * {@code watcher} is handed each new ring (an immutable snapshot) at the first tick that sees it; it runs on
     * the loop thread, so it must only take the snapshot and return (the host routes do their work elsewhere).
     */
    public void watchRing(Consumer<Ring> watcher) {
        this.ringWatcher = watcher;
    }

    /** Feeds the transport's events to the loop. */
    public Transport.Listener listener() {
        return new Transport.Listener() {
            @Override
            public void onMessage(PeerId from, Message message) {
                post(new Event(new Input.Receive(from, message)));
            }

            @Override
            public void onPeerUp(PeerId p) {
                post(new Event(new Input.PeerUp(p)));
            }

            @Override
            public void onPeerDown(PeerId p) {
                post(new Event(new Input.PeerDown(p)));
            }
        };
    }

    @Override
    public CompletableFuture<Result> submit(LongFunction<? extends Input.Request> request) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        if (!post(new Submit(request, f, System.nanoTime()))) {
            f.completeExceptionally(shuttingDown());
        }
        return f;
    }

    @Override
    public <T> CompletableFuture<T> read(Function<Peer, T> query) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (!post(new Read<>(query, f))) {
            f.completeExceptionally(shuttingDown());
        }
        return f;
    }

    /** The core as of the last tick, for metrics and health (safe from any thread). */
    public CoreView view() {
        return view;
    }

    /** True while the loop thread runs and has come round within {@code maxSilenceMillis}. */
    public boolean alive(long maxSilenceMillis) {
        return thread.isAlive() && accepting && System.nanoTime() - heartbeat < maxSilenceMillis * 1_000_000;
    }

    private boolean post(Task t) {
        if (!accepting) {
            return false;
        }
        inbox.add(t);
        return true;
    }

    private static IllegalStateException shuttingDown() {
        return new IllegalStateException("weftd is shutting down; try again when it is back");
    }

    // ------------------------------------------------------------------ the loop thread

    private void run() {
        nextTick = clock.getAsLong();
        try {
            while (true) {
                heartbeat = System.nanoTime();
                long now = clock.getAsLong();
                if (now >= nextTick && !stopping) {
                    step(new Input.Tick());
                    Transport t = transport;
                    view = CoreView.of(peer.status(), t == null ? Map.of() : t.lastHeard());
                    stateLog.observe(view);
                    publishRing();
                    nextTick = now + tickMillis;
                }
                Task task = inbox.poll(Math.max(1, nextTick - now), TimeUnit.MILLISECONDS);
                for (int n = 0; task != null; n++) {
                    handle(task);
                    task = n < DRAIN ? inbox.poll() : null;
                }
                offerBatch();
                if (stopping && !syncing && open.isEmpty()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            log.error("the event loop failed; weftd must stop", e);
            accepting = false;
            fatal.accept(e);
        }
        failRemaining();
    }

    private void publishRing() {
        Consumer<Ring> w = ringWatcher;
        Ring r = peer.ring();
        if (w != null && r != null && r != published) {
            published = r;
            w.accept(r);
        }
    }

    private void handle(Task task) {
        if (task instanceof Submit s) {
            if (stopping) {
                s.future().completeExceptionally(shuttingDown());
                return;
            }
            long id = nextId++;
            Input.Request request;
            try {
                request = s.request().apply(id);
            } catch (RuntimeException e) {
                s.future().completeExceptionally(e);
                return;
            }
            waiting.put(id, new Waiting(s.future(), kindOf(request), s.start()));
            step(request);
        } else if (task instanceof Read<?> r) {
            read(r);
        } else if (task instanceof Event e) {
            if (!stopping) {
                step(e.input());
            }
        } else if (task instanceof Synced s) {
            syncing = false;
            if (s.failure() != null) {
                log.error("writing the store failed; stopping without acknowledging anything more", s.failure());
                accepting = false;
                stopping = true;
                // Steps after the failed batch depend on it: none of them may be answered or sent.
                for (Batch.Release r : open.releases) {
                    if (r instanceof Batch.Release.Answer<?> a) {
                        a.future().completeExceptionally(new IllegalStateException("an earlier write to the store"
                                + " failed; nothing was acknowledged. weftd is stopping", s.failure()));
                    }
                }
                open = new Batch();
                fatal.accept(s.failure());
            }
        } else if (task instanceof Stop) {
            stopping = true;
        }
    }

    private <T> void read(Read<T> r) {
        T value = null;
        Throwable error = null;
        try {
            value = r.query().apply(peer);
        } catch (RuntimeException e) {
            error = e;
        }
        open.releases.add(new Batch.Release.Answer<>(r.future(), value, error, null));
    }

    private void step(Input input) {
        Output out = peer.handle(clock.getAsLong(), input);
        open.steps++;
        open.records.addAll(out.persist());
        Transport t = transport;
        for (Envelope e : out.send()) {
            if (t == null) {
                meters.dropped(e.message().getClass().getSimpleName());
            } else {
                open.releases.add(new Batch.Release.Send(() -> t.send(e.to(), e.message())));
            }
        }
        for (Reply r : out.replies()) {
            Waiting w = waiting.remove(r.id());
            if (w != null) {
                Result result = r.result();
                if (w.kind().equals("remove_peer") || w.kind().equals("leave")) {
                    log.info("operator {}: {}", w.kind().replace('_', '-'), result);
                }
                open.releases.add(new Batch.Release.Answer<>(w.future(), result, null,
                        () -> meters.answered(w.kind(), outcomeOf(result), System.nanoTime() - w.start())));
            }
        }
        for (Alarm a : out.alarms()) {
            open.releases.add(new Batch.Release.Send(() -> {
                log.warn("alarm {}: {}", a.kind(), a.message());
                meters.alarm(a.kind().name().toLowerCase(Locale.ROOT));
            }));
        }
    }

    private void offerBatch() {
        if (syncing || open.isEmpty()) {
            return;
        }
        if (open.records.isEmpty()) {
            // Nothing to write and every earlier batch is synced: release here, without a trip to the committer.
            Batch b = open;
            open = new Batch();
            Committer.release(b, null);
            return;
        }
        Batch b = open;
        open = new Batch();
        syncing = true;
        committer.commit(b, failure -> inbox.add(new Synced(failure)));
    }

    private void failRemaining() {
        accepting = false;
        for (Task t; (t = inbox.poll()) != null; ) {
            if (t instanceof Submit s) {
                s.future().completeExceptionally(shuttingDown());
            } else if (t instanceof Read<?> r) {
                r.future().completeExceptionally(shuttingDown());
            }
        }
        // Requests still waiting on a peer for space: never answered, so nothing was promised.
        waiting.values().forEach(w -> w.future().completeExceptionally(shuttingDown()));
        waiting.clear();
    }

    /** Metric label of a request or answer type ("ReleaseContainer" -> "release_container"), computed once. */
    private static final ClassValue<String> LABEL = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        }
    };

    static String kindOf(Input.Request r) {
        return LABEL.get(r.getClass());
    }

    static String outcomeOf(Result r) {
        if (r instanceof Result.Refused f) {
            return f.why().name().toLowerCase(Locale.ROOT);
        }
        return LABEL.get(r.getClass());
    }

    /**
     * Stops taking work, lets the batch in flight and the open batch sync and release, then closes the
     * commit thread. Requests still waiting on a peer are failed as "shutting down" (never acknowledged).
     * Never leaves the cluster: ranges and holds stay with this install for its restart.
     */
    @Override
    public void close() {
        if (thread.isAlive()) {
            inbox.add(new Stop());
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        accepting = false;
        committer.close();
    }
}
