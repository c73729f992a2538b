package dev.weft.bench;

import dev.weft.core.address.Cidr;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CoreConfig;
import dev.weft.core.node.Input;
import dev.weft.core.node.Output;
import dev.weft.core.node.Peer;
import dev.weft.core.peer.PeerId;
import dev.weft.core.space.Attachment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One allocate and one release through the whole state machine (no persistence, no network): what the
 * daemon's event loop pays per pod on top of its disk write. Weave's allocator actor: 3.5 us.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PeerBenchmark {
    Peer peer;
    Attachment[] pods;
    long now = 1;
    long id = 1;
    int next;

    @Setup
    public void start() {
        PeerId self = new PeerId("bench", 1);
        peer = Peer.fresh(CoreConfig.defaults(Cidr.parse("10.32.0.0/12"), new Bootstrap.Seeds(List.of("bench"))), self, 1);
        peer.handle(now++, new Input.Tick());
        pods = new Attachment[1 << 16];
        for (int i = 0; i < pods.length; i++) {
            pods[i] = new Attachment("pod-" + i, "eth0");
        }
        // Keep about a thousand pods running, like a busy node.
        for (int i = 0; i < 1024; i++) {
            peer.handle(now, new Input.Allocate(id++, pods[i], null));
        }
        next = 1024;
    }

    @Benchmark
    public Output allocateThenRelease() {
        Attachment in = pods[next & (pods.length - 1)];
        Attachment out = pods[(next - 1024) & (pods.length - 1)];
        next++;
        peer.handle(now, new Input.Allocate(id++, in, null));
        return peer.handle(now, new Input.Release(id++, out));
    }
}
