package dev.weft.daemon.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CoreConfig;
import dev.weft.core.node.Input;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Record;
import dev.weft.core.node.Result;
import dev.weft.core.node.Status;
import dev.weft.core.peer.PeerId;
import dev.weft.core.space.Attachment;
import dev.weft.daemon.metrics.LoopMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash safety of group commit: nothing is answered before its records, and every earlier step's, are
 * synced; answers leave in step order, also for steps that wrote nothing. The writer here can be held
 * inside a sync, standing in for a slow disk (or a crash before the sync returns).
 */
class GroupCommitTest {
    static final Attachment A1 = new Attachment("c1", "eth0");
    static final Attachment A2 = new Attachment("c2", "eth0");

    /** What happened, in order: "synced [keys]" after a write returns, "answered NAME" when a caller hears. */
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Throwable> fatal = new CopyOnWriteArrayList<>();
    volatile CountDownLatch entered;
    volatile CountDownLatch gate;
    volatile boolean failWrites;
    volatile boolean rejectRecords;

    final BatchWriter writer = batch -> {
        CountDownLatch g = gate;
        if (g != null) {
            entered.countDown();
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failWrites) {
            throw new IOException("disk gone");
        }
        if (rejectRecords && !batch.isEmpty()) {
            throw new IllegalArgumentException("cannot encode " + batch.get(0));
        }
        events.add("synced " + batch.stream().map(Record::key).toList());
    };

    EventLoop loop;

    EventLoop start() throws Exception {
        Peer peer = Peer.fresh(CoreConfig.defaults(Cidr.parse("10.60.0.0/24"), new Bootstrap.Seeds(List.of("solo"))),
                new PeerId("solo", 1), 42);
        loop = new EventLoop(peer, writer, new CoreClock(), 20, new LoopMeters(new SimpleMeterRegistry()), fatal::add);
        loop.start();
        for (int i = 0; i < 200 && loop.read(p -> p.status().phase()).get(5, TimeUnit.SECONDS) != Status.Phase.READY; i++) {
            Thread.sleep(10);
        }
        return loop;
    }

    @AfterEach
    void stop() {
        if (gate != null) {
            gate.countDown();
        }
        if (loop != null) {
            loop.close();
        }
    }

    <T> CompletableFuture<T> named(String name, CompletableFuture<T> f) {
        return f.whenComplete((v, e) -> events.add("answered " + name));
    }

    /** Holds the next write inside its sync until {@link #release}. */
    void holdNextSync() {
        entered = new CountDownLatch(1);
        gate = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        g.countDown();
    }

    @Test
    void noAnswerLeavesBeforeItsBatchAndEveryEarlierOneIsSynced() throws Exception {
        start();
        holdNextSync();
        CompletableFuture<Result> first = named("first", loop.submit(id -> new Input.Allocate(id, A1, null)));
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the first allocation's batch is syncing").isTrue();

        // While that sync is in flight: a repeat of the same ADD (answered from memory, writes nothing), a
        // read of the same attachment, and a new ADD whose record goes into the next batch.
        CompletableFuture<Result> repeat = named("repeat", loop.submit(id -> new Input.Allocate(id, A1, null)));
        CompletableFuture<Long> check = named("check", loop.read(p -> p.space().addressOf(A1)));
        CompletableFuture<Result> second = named("second", loop.submit(id -> new Input.Allocate(id, A2, null)));

        // Give a wrong implementation every chance to answer early.
        Thread.sleep(300);
        assertThat(List.of(first, repeat, check, second)).noneMatch(CompletableFuture::isDone);
        assertThat(events).noneMatch(e -> e.startsWith("answered"));

        release();
        long a1 = ((Result.Assigned) first.get(10, TimeUnit.SECONDS)).address();
        assertThat(((Result.Assigned) repeat.get(10, TimeUnit.SECONDS)).address()).isEqualTo(a1);
        assertThat(check.get(10, TimeUnit.SECONDS)).isEqualTo(a1);
        assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(Result.Assigned.class);

        int syncedA1 = indexOf("synced", new Record.Freed(A1).key());
        int syncedA2 = indexOf("synced", new Record.Freed(A2).key());
        assertThat(syncedA1).isNotNegative();
        assertThat(syncedA2).isGreaterThan(syncedA1);
        assertThat(events.indexOf("answered first")).isGreaterThan(syncedA1);
        assertThat(events.indexOf("answered second")).isGreaterThan(syncedA2);
        // Step order: the repeat and the check, which wrote nothing, still wait for the first batch.
        assertThat(List.of(events.indexOf("answered first"), events.indexOf("answered repeat"),
                events.indexOf("answered check"), events.indexOf("answered second"))).isSorted();
    }

    private int indexOf(String prefix, String key) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix) && events.get(i).contains(key)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aFailedSyncAcknowledgesNothingAndStopsTheLoop() throws Exception {
        start();
        holdNextSync();
        CompletableFuture<Result> lost = loop.submit(id -> new Input.Allocate(id, A1, null));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Result> queued = loop.submit(id -> new Input.Allocate(id, A2, null));
        failWrites = true;
        release();
        assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("nothing was acknowledged");
        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        for (int i = 0; i < 100 && fatal.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertThat(fatal).singleElement().isInstanceOf(IOException.class);
        assertThat(events).noneMatch(e -> e.contains("hold/"));
        assertThatThrownBy(() -> loop.submit(id -> new Input.Allocate(id, A2, null)).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("shutting down");
    }

    @Test
    void aStoreThatRejectsARecordIsAFailureNotAHang() throws Exception {
        start();
        rejectRecords = true;
        CompletableFuture<Result> f = loop.submit(id -> new Input.Allocate(id, A1, null));
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("nothing was acknowledged");
        for (int i = 0; i < 100 && fatal.isEmpty(); i++) {
            Thread.sleep(10);
        }
        assertThat(fatal).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("cannot encode"));
    }

    @Test
    void closingSyncsTheBatchInFlightAndAnswersIt() throws Exception {
        start();
        holdNextSync();
        CompletableFuture<Result> inFlight = loop.submit(id -> new Input.Allocate(id, A1, null));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Result> open = loop.submit(id -> new Input.Allocate(id, A2, null));
        Thread closer = new Thread(loop::close);
        closer.start();
        Thread.sleep(100);
        release();
        closer.join(10_000);
        assertThat(inFlight.get(1, TimeUnit.SECONDS)).isInstanceOf(Result.Assigned.class);
        // Queued before the stop: it is either answered after its sync, or refused as shutting down.
        assertThat(open).satisfiesAnyOf(f -> assertThat(f.get()).isInstanceOf(Result.Assigned.class),
                f -> assertThatThrownBy(f::get).hasMessageContaining("shutting down"));
        if (!open.isCompletedExceptionally()) {
            assertThat(indexOf("synced", new Record.Freed(A2).key())).isNotNegative();
        }
        assertThat(fatal).isEmpty();
    }
}
