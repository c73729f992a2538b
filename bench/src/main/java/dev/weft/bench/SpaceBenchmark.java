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
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Allocate + release on one peer that owns the whole /12 (1,048,576 addresses), half full at random (not a
 * contiguous prefix): the shape on which Weave's space took 2.7 ms a pair. One operation allocates the next
 * free address after the cursor and releases the oldest held one (pods end roughly in the order they
 * started), so the space stays half full at random positions.
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
        long[] fifo;
        int head;
        long cursor;

        @Setup
        public void fill() {
            bitmap = new Bitmap(UNIVERSE.start(), SIZE);
            int[] half = randomHalf();
            fifo = new long[half.length];
            for (int i = 0; i < half.length; i++) {
                fifo[i] = UNIVERSE.start() + half[i];
                bitmap.take(fifo[i]);
            }
            cursor = UNIVERSE.start();
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
        s.bitmap.free(s.fifo[s.head]);
        s.fifo[s.head] = a;
        s.head = s.head + 1 == s.fifo.length ? 0 : s.head + 1;
        return a;
    }

    @State(Scope.Thread)
    public static class Attachments {
        Space space;
        Attachment[] pods;
        int[] fifo;
        int head;
        int next;

        @Setup
        public void fill() {
            space = new Space(UNIVERSE.start(), UNIVERSE.end() - 1);
            space.add(UNIVERSE, 0);
            pods = new Attachment[SIZE];
            for (int i = 0; i < SIZE; i++) {
                pods[i] = new Attachment("pod-" + i, "eth0");
            }
            int[] half = randomHalf();
            fifo = new int[half.length];
            for (int i = 0; i < half.length; i++) {
                if (space.claim(pods[next], UNIVERSE.start() + half[i], 0) != Space.ClaimResult.TAKEN) {
                    throw new IllegalStateException("could not fill the space");
                }
                fifo[i] = next++;
            }
        }
    }

    @Benchmark
    public long attachments(Attachments s) {
        int pod = s.next;
        s.next = s.next + 1 == SIZE ? 0 : s.next + 1;
        long a = s.space.allocate(s.pods[pod], UNIVERSE, 0);
        s.space.release(s.pods[s.fifo[s.head]]);
        s.fifo[s.head] = pod;
        s.head = s.head + 1 == s.fifo.length ? 0 : s.head + 1;
        return a;
    }
}
