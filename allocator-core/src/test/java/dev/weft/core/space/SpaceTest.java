package dev.weft.core.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Range;
import dev.weft.core.peer.Entropy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SpaceTest {
    static Attachment pod(int i) {
        return new Attachment("c" + i, "eth0");
    }

    @Test
    void allocatesInOrderAndDoesNotHandBackAJustReleasedAddress() {
        Space s = new Space();
        s.add(new Range(100, 104), 0);
        Range all = new Range(0, 1000);
        assertThat(s.allocate(pod(1), all, 0)).isEqualTo(100);
        assertThat(s.allocate(pod(2), all, 0)).isEqualTo(101);
        assertThat(s.release(pod(1))).isEqualTo(100);
        assertThat(s.allocate(pod(3), all, 0)).isEqualTo(102);
        assertThat(s.allocate(pod(4), all, 0)).isEqualTo(103);
        assertThat(s.allocate(pod(5), all, 0)).as("wraps round to the released one last").isEqualTo(100);
        assertThat(s.allocate(pod(6), all, 0)).as("full").isEqualTo(-1);
        assertThat(s.heldCount()).isEqualTo(4);
        assertThat(s.addressOf(pod(3))).isEqualTo(102);
        assertThat(s.holder(102)).isEqualTo(pod(3));
        assertThat(s.release(pod(1))).as("releasing what is not held").isEqualTo(-1);
    }

    @Test
    void reservedAddressesAreNeverHandedOutOrClaimed() {
        Space s = new Space(100, 103);
        s.add(new Range(100, 104), 0);
        Range all = new Range(100, 104);
        assertThat(s.allocate(pod(1), all, 0)).isEqualTo(101);
        assertThat(s.allocate(pod(2), all, 0)).isEqualTo(102);
        assertThat(s.allocate(pod(3), all, 0)).isEqualTo(-1);
        assertThat(s.claim(pod(4), 103, 0)).isEqualTo(Space.ClaimResult.RESERVED);
        assertThat(s.freeIn(all)).isZero();
        assertThat(s.holds()).extracting(Hold::address).containsExactly(101L, 102L);
    }

    @Test
    void allocatesOnlyInsideTheRequestedSubnet() {
        Space s = new Space();
        s.add(new Range(0, 256), 0);
        assertThat(s.allocate(pod(1), new Range(64, 128), 0)).isEqualTo(64);
        assertThat(s.allocate(pod(2), new Range(200, 202), 0)).isEqualTo(200);
        assertThat(s.allocate(pod(3), new Range(200, 202), 0)).isEqualTo(201);
        assertThat(s.allocate(pod(4), new Range(200, 202), 0)).isEqualTo(-1);
        assertThat(s.allocate(pod(5), new Range(300, 400), 0)).as("not ours at all").isEqualTo(-1);
    }

    @Test
    void claims() {
        Space s = new Space();
        s.add(new Range(0, 16), 0);
        assertThat(s.claim(pod(1), 5, 0)).isEqualTo(Space.ClaimResult.TAKEN);
        assertThat(s.claim(pod(1), 5, 0)).isEqualTo(Space.ClaimResult.ALREADY_YOURS);
        assertThat(s.claim(pod(2), 5, 0)).isEqualTo(Space.ClaimResult.HELD_BY_OTHER);
        assertThat(s.claim(pod(2), 99, 0)).isEqualTo(Space.ClaimResult.NOT_OWNED);
        assertThat(s.claim(pod(1), 6, 0)).as("one address per attachment").isEqualTo(Space.ClaimResult.HOLDS_OTHER);
        assertThat(s.allocate(pod(1), new Range(0, 16), 0)).as("allocate is idempotent").isEqualTo(5);
        assertThat(s.attachmentsOf("c1", Attachment.DEFAULT_NETWORK)).containsExactly(pod(1));
    }

    @Test
    void removingARangeReturnsTheHoldsInsideAndKeepsTheRest() {
        Space s = new Space();
        s.add(new Range(0, 64), 0);
        for (int i = 0; i < 10; i++) {
            s.claim(pod(i), i * 6, 0);
        }
        List<Hold> evicted = s.remove(new Range(10, 40));
        assertThat(evicted).extracting(Hold::address).containsExactlyInAnyOrder(12L, 18L, 24L, 30L, 36L);
        assertThat(s.ranges()).containsExactly(new Range(0, 10), new Range(40, 64));
        assertThat(s.addressOf(pod(1))).isEqualTo(6);
        assertThat(s.addressOf(pod(2))).isEqualTo(-1);
        assertThat(s.holder(42)).isEqualTo(pod(7));
        assertThat(s.size()).isEqualTo(34);
        assertThatThrownBy(() -> s.add(new Range(5, 12), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void takenOverRangesAreUsedLastAndOnlyAfterTheirCoolDown() {
        Space s = new Space();
        s.add(new Range(0, 2), 0);
        s.add(new Range(10, 12), 1_000);
        Range all = new Range(0, 100);
        assertThat(s.allocate(pod(1), all, 0)).isEqualTo(0);
        assertThat(s.allocate(pod(2), all, 0)).isEqualTo(1);
        assertThat(s.allocate(pod(3), all, 999)).as("cooling down").isEqualTo(-1);
        assertThat(s.allocate(pod(3), all, 1_000)).isEqualTo(10);
        s.release(pod(1));
        assertThat(s.allocate(pod(4), all, 2_000)).as("ordinary space first").isEqualTo(0);
        assertThat(s.claim(pod(5), 11, 999)).as("claims wait for the cool-down too").isEqualTo(Space.ClaimResult.COOLING);
        assertThat(s.isFree(11, 999)).isFalse();
        assertThat(s.isFree(11, 1_000)).isTrue();
        assertThat(s.claim(pod(5), 11, 1_000)).isEqualTo(Space.ClaimResult.TAKEN);
        assertThat(s.restore(pod(6), 10)).as("holds read back from disk ignore it").isEqualTo(Space.ClaimResult.HELD_BY_OTHER);
    }

    @Test
    void theLargestFreeBlockIsAlignedAndFree() {
        Space s = new Space();
        s.add(new Range(0, 256), 0);
        s.claim(pod(1), 3, 0);
        s.claim(pod(2), 70, 0);
        Range b = s.largestFreeBlock(new Range(0, 256), 0);
        assertThat(b).isEqualTo(new Range(128, 256));
        assertThat(s.freeIn(b)).isEqualTo(b.size());
        assertThat(s.largestFreeBlock(new Range(0, 64), 0)).isEqualTo(new Range(32, 64));
        s.remove(new Range(128, 256));
        Range left = s.largestFreeBlock(new Range(0, 256), 0);
        assertThat(left.size()).as("[4,70) and [71,128) both hold a free /27").isEqualTo(32);
        assertThat(left.isAligned()).isTrue();
        assertThat(s.freeIn(left)).isEqualTo(32);
        Space full = new Space();
        full.add(new Range(0, 2), 0);
        full.claim(pod(1), 0, 0);
        full.claim(pod(2), 1, 0);
        assertThat(full.largestFreeBlock(new Range(0, 2), 0).isEmpty()).isTrue();
    }

    @Test
    void freeBlocksRunAcrossAdjacentRanges() {
        Space s = new Space();
        s.add(new Range(0, 8), 0);
        s.add(new Range(8, 16), 0);
        assertThat(s.largestFreeBlock(new Range(0, 16), 0)).isEqualTo(new Range(0, 16));
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 60);
    }

    /** Random operations against a plain map as the model: never a duplicate, never outside what is owned. */
    @ParameterizedTest
    @MethodSource("seeds")
    void behavesLikeItsModel(long seed) {
        Entropy rnd = new Entropy(seed);
        Space s = new Space(0, 1023);
        Map<Attachment, Long> model = new HashMap<>();
        Set<Range> owned = new HashSet<>();
        long now = 0;
        s.add(new Range(0, 512), 0);
        owned.add(new Range(0, 512));
        for (int step = 0; step < 3_000; step++) {
            now += 10;
            int dice = rnd.nextInt(20);
            Attachment a = pod(rnd.nextInt(600));
            if (dice < 10) {
                if (!model.containsKey(a)) {
                    long lo = rnd.nextLong(1024);
                    long got = s.allocate(a, new Range(lo, Math.min(1024, lo + 1 + rnd.nextLong(600))), now);
                    if (got >= 0) {
                        assertThat(model).doesNotContainValue(got);
                        model.put(a, got);
                    }
                }
            } else if (dice < 17) {
                Long had = model.remove(a);
                assertThat(s.release(a)).isEqualTo(had == null ? -1 : had);
            } else if (dice < 18) {
                long addr = rnd.nextLong(1024);
                Space.ClaimResult r = s.claim(a, addr, now);
                if (r == Space.ClaimResult.TAKEN) {
                    assertThat(model).doesNotContainKey(a).doesNotContainValue(addr);
                    model.put(a, addr);
                }
            } else if (dice < 19) {
                long lo = 512 + 64 * rnd.nextLong(8);
                Range r = new Range(lo, lo + 64);
                if (owned.add(r)) {
                    s.add(r, rnd.nextInt(2) == 0 ? 0 : now + 100);
                }
            } else {
                long lo = 64 * rnd.nextLong(16);
                Range r = new Range(lo, lo + 32);
                for (Hold h : s.remove(r)) {
                    assertThat(model.remove(h.attachment())).isEqualTo(h.address());
                }
                model.values().removeIf(r::contains);
            }
            for (Map.Entry<Attachment, Long> e : model.entrySet()) {
                assertThat(s.owns(e.getValue())).isTrue();
            }
            assertThat(s.heldCount()).isEqualTo(model.size());
        }
        for (Map.Entry<Attachment, Long> e : model.entrySet()) {
            assertThat(s.addressOf(e.getKey())).isEqualTo(e.getValue());
            assertThat(s.isReserved(e.getValue())).isFalse();
        }
        long free = s.freeIn(new Range(0, 1024));
        assertThat(free + model.size() + (s.owns(0) ? 1 : 0) + (s.owns(1023) ? 1 : 0)).isEqualTo(s.size());
    }
}
