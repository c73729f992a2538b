package dev.weft.daemon.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CoreConfig;
import dev.weft.core.node.Input;
import dev.weft.core.node.Peer;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import dev.weft.daemon.metrics.LoopMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The loop hands each new ring snapshot to its watcher once, from its tick, and nothing while the ring stands. */
class RingWatchTest {

    @Test
    void eachNewRingIsHandedOverOnceAndTheSameRingNeverAgain() throws Exception {
        Peer peer = Peer.fresh(CoreConfig.defaults(Cidr.parse("10.60.0.0/24"), new Bootstrap.Seeds(List.of("solo"))),
                new PeerId("solo", 1), 42);
        List<Ring> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (EventLoop loop = new EventLoop(peer, batch -> { }, new CoreClock(), 10,
                new LoopMeters(new SimpleMeterRegistry()), e -> { })) {
            loop.watchRing(r -> {
                seen.add(r);
                threads.add(Thread.currentThread().getName());
            });
            loop.start();
            await(() -> !seen.isEmpty());
            Thread.sleep(100); // ten ticks
            Ring current = loop.read(Peer::ring).get(5, TimeUnit.SECONDS);
            await(() -> seen.get(seen.size() - 1) == current);

            // allocations change the ring (free counts): the latest snapshot is always handed over
            for (int i = 0; i < 40; i++) {
                String c = "c" + i;
                loop.submit(id -> new Input.Allocate(id, new Attachment(c, "eth0"), null)).get(5, TimeUnit.SECONDS);
            }
            await(() -> read(loop) != current); // the new free count goes into the ring at a tick
            await(() -> seen.get(seen.size() - 1) == read(loop));
            assertThat(seen).as("no snapshot handed over twice").doesNotHaveDuplicates();
            assertThat(threads).containsOnly("weft-loop");
        }
    }

    private static Ring read(EventLoop loop) {
        try {
            return loop.read(Peer::ring).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long until = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(until);
            Thread.sleep(5);
        }
    }
}
