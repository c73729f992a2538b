package dev.weft.bench;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.peer.Entropy;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Space;
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
 * Allocate + release on one peer that owns the whole /12, half full at random (not a contiguous prefix):
 * the shape on which Weave's space took 2.7 ms a pair. Each operation allocates one address for a new
 * attachment and releases one held at random, so the space stays half full.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpaceBenchmark {
    static final Range UNIVERSE = Cidr.parse("10.32.0.0/12").range();

    Space space;
    Attachment[] pods;
    long[] held;
    int heldCount;
    int nextPod;
    Entropy rnd;

    @Setup
    public void fill() {
        space = new Space(UNIVERSE.start(), UNIVERSE.end() - 1);
        space.add(UNIVERSE, 0);
        int size = (int) UNIVERSE.size();
        pods = new Attachment[size];
        for (int i = 0; i < size; i++) {
            pods[i] = new Attachment("pod-" + i, "eth0");
        }
        rnd = new Entropy(42);
        held = new long[size];
        // Claim a random half of the addresses.
        int[] slots = new int[size];
        for (int i = 0; i < size; i++) {
            slots[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = slots[i];
            slots[i] = slots[j];
            slots[j] = t;
        }
        for (int i = 0; i < size / 2; i++) {
            long a = UNIVERSE.start() + slots[i];
            if (space.claim(pods[nextPod], a) == Space.ClaimResult.TAKEN) {
                held[heldCount++] = nextPod;
                nextPod++;
            }
        }
    }

    @Benchmark
    public long allocateAndRelease() {
        int pod = nextPod;
        nextPod = (nextPod + 1) % pods.length;
        long a = space.allocate(pods[pod], UNIVERSE, 0);
        int victim = rnd.nextInt(heldCount);
        space.release(pods[(int) held[victim]]);
        held[victim] = pod;
        return a;
    }
}
