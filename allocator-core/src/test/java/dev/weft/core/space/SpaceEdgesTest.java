package dev.weft.core.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Range;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Edges of the space that mutation testing (docs/mutation-testing.md) showed no test pinned: a cool-down set
 * on part of a range keeps the rest of it (and its holds), the free runs a donor carves grants from are
 * exactly the free addresses, and the address 0 is an address like any other once nothing reserves it.
 */
class SpaceEdgesTest {
    static Attachment pod(int i) {
        return new Attachment("c" + i, "eth0");
    }

    @Test
    void restingTheMiddleOfARangeKeepsBothEndsAndEveryHold() {
        Space space = new Space();
        space.add(new Range(0, 100), 0);
        for (long a : new long[] {10, 50, 90}) {
            assertThat(space.claim(pod((int) a), a, 0)).isEqualTo(Space.ClaimResult.TAKEN);
        }
        space.rest(new Range(40, 60), 500);
        assertThat(space.ranges()).containsExactly(new Range(0, 40), new Range(40, 60), new Range(60, 100));
        assertThat(space.usableFrom(10)).isZero();
        assertThat(space.usableFrom(50)).isEqualTo(500);
        assertThat(space.usableFrom(90)).isZero();
        assertThat(space.holder(10)).isEqualTo(pod(10));
        assertThat(space.holder(50)).isEqualTo(pod(50));
        assertThat(space.holder(90)).isEqualTo(pod(90));
        assertThat(space.freeIn(new Range(0, 100))).isEqualTo(97);
        assertThat(space.freeIn(new Range(0, 100), 499)).as("the resting part is not free yet").isEqualTo(78);
        assertThat(space.release(pod(90))).isEqualTo(90);
        assertThat(space.isFree(90, 0)).isTrue();
    }

    @Test
    void anAttachmentHoldingAddressZeroKeepsItAndCannotClaimASecond() {
        Space space = new Space();
        space.add(new Range(0, 8), 0);
        assertThat(space.allocate(pod(1), new Range(0, 8), 0)).isZero();
        assertThat(space.allocate(pod(1), new Range(0, 8), 0)).as("asked again: the same address").isZero();
        assertThat(space.claim(pod(1), 5, 0)).isEqualTo(Space.ClaimResult.HOLDS_OTHER);
        assertThat(space.heldCount()).isEqualTo(1);
        assertThat(space.freeIn(new Range(0, 8))).isEqualTo(7);
    }

    @Test
    void theLargestFreeBlockMayStartAtAddressZeroAndRunAcrossRanges() {
        Space space = new Space();
        space.add(new Range(0, 4), 0);
        space.add(new Range(4, 8), 0);
        assertThat(space.largestFreeBlock(new Range(0, 8), 0)).isEqualTo(new Range(0, 8));
        space.claim(pod(1), 6, 0);
        assertThat(space.largestFreeBlock(new Range(0, 8), 0)).isEqualTo(new Range(0, 4));
    }

    @Test
    void anEmptySpanHoldsNothing() {
        Bitmap bits = new Bitmap(100, 128);
        bits.take(100);
        assertThat(bits.takenIn(100, 100)).isZero();
        assertThat(bits.takenIn(100, 101)).isEqualTo(1);
        assertThat(bits.start()).isEqualTo(100);
        assertThat(bits.size()).isEqualTo(128);
    }

    @Test
    void aFreeRunFromAddressZeroEndsAtAWholeTakenWord() {
        Bitmap bits = new Bitmap(0, 192);
        for (long a = 64; a < 128; a++) {
            bits.take(a);
        }
        List<Range> runs = new ArrayList<>();
        bits.freeRuns((s, e) -> runs.add(new Range(s, e)));
        assertThat(runs).containsExactly(new Range(0, 64), new Range(128, 192));
    }

    /** Free runs against a plain model, on seeded random bitmaps of odd and word-sized lengths. */
    @Test
    void freeRunsAreExactlyTheMaximalRunsOfFreeAddresses() {
        Random random = new Random(6);
        for (int round = 0; round < 300; round++) {
            int size = new int[] {1, 63, 64, 65, 128, 130, 200}[round % 7];
            long start = 1000L * round;
            Bitmap bits = new Bitmap(start, size);
            boolean[] taken = new boolean[size];
            double density = random.nextDouble();
            boolean wordFull = random.nextInt(4) == 0;
            for (int i = 0; i < size; i++) {
                // Whole words taken or free now and then, so the skipping of plain words is exercised.
                boolean take = wordFull ? (i / 64) % 2 == 0 : random.nextDouble() < density;
                if (take) {
                    taken[i] = true;
                    bits.take(start + i);
                }
            }
            List<Range> expected = new ArrayList<>();
            for (int i = 0; i < size; ) {
                if (taken[i]) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < size && !taken[j]) {
                    j++;
                }
                expected.add(new Range(start + i, start + j));
                i = j;
            }
            List<Range> actual = new ArrayList<>();
            bits.freeRuns((s, e) -> actual.add(new Range(s, e)));
            assertThat(actual).as("size %d, round %d", size, round).isEqualTo(expected);
        }
    }

    @Test
    void attachmentsRefuseNamesOutsideTheirLimits() {
        String longestId = "c".repeat(Attachment.MAX_ID);
        assertThat(new Attachment(longestId, "eth0").containerId()).isEqualTo(longestId);
        assertThatThrownBy(() -> new Attachment(longestId + "c", "eth0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Attachment("", "eth0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Attachment(null, "eth0")).isInstanceOf(IllegalArgumentException.class);
        String longestIf = "e".repeat(255);
        assertThat(new Attachment("c", longestIf)).isNotEqualTo(new Attachment("c", "eth0"));
        assertThatThrownBy(() -> new Attachment("c", longestIf + "e")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Attachment("c", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Attachment("c", null)).isInstanceOf(IllegalArgumentException.class);
        String longestNet = "n".repeat(Attachment.MAX_NETWORK);
        assertThat(Attachment.checkNetwork(longestNet)).isEqualTo(longestNet);
        assertThatThrownBy(() -> Attachment.checkNetwork(longestNet + "n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Attachment.checkNetwork("-lead")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Attachment.checkNetwork(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
