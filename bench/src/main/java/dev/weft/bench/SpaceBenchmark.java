package dev.weft.bench;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.peer.Entropy;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Bitmap;
import dev.weft.core.space.Space;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Allocate + release on one peer that owns the whole /12 (1,048,576 addresses), half full at random (not a
 * contiguous prefix): the shape on which Weave's space took 2.7 ms a pair. One operation allocates the next
 * free address after the cursor and releases a held address chosen at random, so the space stays half full
 * at random positions. (Releasing the oldest instead, as an earlier version did, let the cursor sweep the
 * /12 into one contiguous free run within a million operations: the easy case.) Each state counts the
 * free runs before and after its iteration and fails the run if they fell below a quarter of the start
 * ({@link Fragmentation}), so a figure is never taken on a space that drifted contiguous.
 *
 * <ul>
 *   <li>{@code addresses}: the address layer alone ({@link Bitmap}), the same layer as Weave's space
 *       package;</li>
 *   <li>{@code attachments}: the whole {@link Space}, which also keeps who holds each address and which
 *       address each attachment holds (two half-million-entry tables, so mostly cache misses).</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpaceBenchmark {
    static final Range UNIVERSE = Cidr.parse("10.32.0.0/12").range();
    static final int SIZE = (int) UNIVERSE.size();

    /**
     * A random half of the universe's offsets, in random order: the held set and its release order. The
     * network and broadcast addresses are never among them.
     */
    static int[] randomHalf() {
        int[] slots = new int[SIZE - 2];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = i + 1;
        }
        Entropy rnd = new Entropy(42);
        for (int i = slots.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = slots[i];
            slots[i] = slots[j];
            slots[j] = t;
        }
        int[] half = new int[SIZE / 2];
        System.arraycopy(slots, 0, half, 0, half.length);
        return half;
    }

    @State(Scope.Thread)
    public static class Addresses {
        Bitmap bitmap;
        long[] held;
        long cursor;
        final Fragmentation fragmentation = new Fragmentation();
        final Entropy pick = new Entropy(7);

        @Setup(Level.Trial)
        public void fill() {
            bitmap = new Bitmap(UNIVERSE.start(), SIZE);
            int[] half = randomHalf();
            held = new long[half.length];
            for (int i = 0; i < half.length; i++) {
                held[i] = UNIVERSE.start() + half[i];
                bitmap.take(held[i]);
            }
            cursor = UNIVERSE.start();
            fragmentation.start(Fragmentation.freeRuns(bitmap));
        }

        @TearDown(Level.Iteration)
        public void stillFragmented() {
            fragmentation.check("addresses", Fragmentation.freeRuns(bitmap));
        }
    }

    @Benchmark
    public long addresses(Addresses s) {
        long a = s.bitmap.firstFree(s.cursor, UNIVERSE.end());
        if (a < 0) {
            a = s.bitmap.firstFree(UNIVERSE.start(), UNIVERSE.end());
        }
        s.bitmap.take(a);
        s.cursor = a + 1 == UNIVERSE.end() ? UNIVERSE.start() : a + 1;
        int victim = s.pick.nextInt(s.held.length);
        s.bitmap.free(s.held[victim]);
        s.held[victim] = a;
        return a;
    }

    @State(Scope.Thread)
    public static class Attachments {
        Space space;
        Attachment[] pods;
        int[] held;
        /** Pods that hold nothing, ready to start: a stack, so a released pod is not reused at once. */
        int[] idle;
        int idleCount;
        final Fragmentation fragmentation = new Fragmentation();
        final Entropy pick = new Entropy(7);

        @Setup(Level.Trial)
        public void fill() {
            space = new Space(UNIVERSE.start(), UNIVERSE.end() - 1);
            space.add(UNIVERSE, 0);
            pods = new Attachment[SIZE];
            for (int i = 0; i < SIZE; i++) {
                pods[i] = new Attachment("pod-" + i, "eth0");
            }
            int[] half = randomHalf();
            held = new int[half.length];
            for (int i = 0; i < half.length; i++) {
                if (space.claim(pods[i], UNIVERSE.start() + half[i], 0) != Space.ClaimResult.TAKEN) {
                    throw new IllegalStateException("could not fill the space");
                }
                held[i] = i;
            }
            idle = new int[SIZE];
            for (int p = half.length; p < SIZE; p++) {
                idle[idleCount++] = p;
            }
            fragmentation.start(Fragmentation.freeRuns(space));
        }

        @TearDown(Level.Iteration)
        public void stillFragmented() {
            fragmentation.check("attachments", Fragmentation.freeRuns(space));
        }
    }

    @Benchmark
    public long attachments(Attachments s) {
        int pod = s.idle[--s.idleCount];
        long a = s.space.allocate(s.pods[pod], UNIVERSE, 0);
        int victim = s.pick.nextInt(s.held.length);
        s.space.release(s.pods[s.held[victim]]);
        s.idle[s.idleCount++] = s.held[victim];
        s.held[victim] = pod;
        return a;
    }
}
