package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.bootstrap.Founding;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingEditor;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Space;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * When an owner's free counts go into the ring, on production's knobs (checks every 5 s, a small difference
 * reported once the range has been quiet for 60 s), driven tick by tick as {@code Peer} drives it: one peer
 * owning a /24, so a sixteenth of its space is 16 addresses.
 */
class FreeReportsTest {
    static final Cidr UNIVERSE = Cidr.parse("10.60.0.0/24");
    static final PeerId SELF = new PeerId("solo", 1);
    static final CoreConfig CONFIG = CoreConfig.defaults(UNIVERSE, new Bootstrap.Seeds(List.of("solo")));
    static final long TICK = 100;

    final FreeReports reports = new FreeReports();
    Space space = new Space(UNIVERSE.base(), UNIVERSE.range().end() - 1);
    final Deque<Attachment> held = new ArrayDeque<>();
    Ring ring = Founding.ring(UNIVERSE.range(), List.of(SELF));
    long now;
    int pods;
    boolean changed;
    long lastChange;
    /** When each report went out. */
    final List<Long> reported = new ArrayList<>();

    FreeReportsTest() {
        space.add(UNIVERSE.range(), 0);
    }

    /** The ring's count of the range pods go to. */
    long inRing() {
        return ring.claimAt(ring.indexOf(within.start())).free();
    }

    long actual() {
        return space.freeIn(within);
    }

    /** Where pods go: the whole space, or one range of it. */
    Range within = UNIVERSE.range();

    void start() {
        Attachment pod = new Attachment("pod-" + pods++, "eth0");
        assertThat(space.allocate(pod, within, now)).isNotNegative();
        held.addLast(pod);
        changed = true;
        lastChange = now;
    }

    void stop() {
        space.release(held.removeFirst());
        changed = true;
        lastChange = now;
    }

    void tick() {
        now += TICK;
        RingEditor edit = reports.due(ring, SELF, space, now, CONFIG, changed);
        changed = false;
        if (edit != null) {
            ring = edit.commit().ring();
            reported.add(now);
        }
    }

    void idleFor(long millis) {
        for (long end = now + millis; now < end; ) {
            tick();
        }
    }

    /** Settles the ring's count to the true one (the universe's two reserved addresses are a small difference). */
    void settled() {
        idleFor(CONFIG.freeReportQuiet() + CONFIG.freeReportInterval());
        assertThat(inRing()).isEqualTo(actual());
        reported.clear();
    }

    /**
     * Ordinary churn: pods start and stop at random, one every 700 ms, between one and three held, for
     * {@code millis}; the count moves one address either way at every step and never stays put for long.
     */
    void churn(long millis, long seed) {
        Random rnd = new Random(seed);
        long end = now + millis;
        while (now < end) {
            if (held.size() <= 1 || held.size() < 3 && rnd.nextBoolean()) {
                start();
            } else {
                stop();
            }
            idleFor(700);
        }
    }

    @Test
    void aCountThatChurnKeepsMovingALittleIsNotReported() {
        settled();
        long before = inRing();
        churn(10 * 60_000, 7);
        // Reporting any difference once it had lasted the report delay sent one here about every minute.
        assertThat(reported).as("reports during ten minutes of one-address churn").isEmpty();
        assertThat(inRing()).isEqualTo(before);
        assertThat(actual()).isNotEqualTo(before);
    }

    @Test
    void oneAddressInASmallRangeOfALargerSpaceIsNotBigNews() {
        // A remnant of 16 addresses beside the rest: one address is a sixteenth of the range, not of the space.
        ring = ring.edit(SELF, space::freeIn).split(UNIVERSE.base() + 16).commit().ring();
        within = ring.rangeAt(0);
        assertThat(within.size()).isEqualTo(16);
        churnReportsNothingUntilQuiet(19, "in the remnant");
    }

    /** Ten minutes of churn where pods go report nothing; once quiet, the exact count goes out. */
    void churnReportsNothingUntilQuiet(long seed, String where) {
        settled();
        long before = inRing();
        churn(10 * 60_000, seed);
        assertThat(reported).as("reports during ten minutes of churn " + where).isEmpty();
        assertThat(inRing()).isEqualTo(before);
        idleFor(CONFIG.freeReportQuiet() + CONFIG.freeReportInterval());
        assertThat(inRing()).as("exact once quiet").isEqualTo(actual());
    }

    /** This peer owns only the first of {@code members} equal shares of the universe, and pods go there. */
    void ownOneShareOf(int members) {
        List<PeerId> all = new ArrayList<>(List.of(SELF));
        for (int i = 1; i < members; i++) {
            all.add(new PeerId("x" + i, 1)); // sorts after "solo": this peer's share is the first
        }
        ring = Founding.ring(UNIVERSE.range(), all);
        within = ring.rangeAt(0);
        space = new Space(UNIVERSE.base(), UNIVERSE.range().end() - 1);
        space.add(within, 0);
    }

    @Test
    void aPeerThatOwnsLittleDoesNotReportEveryPod() {
        ownOneShareOf(8); // 32 addresses: a sixteenth is two, under the floor
        assertThat(space.size()).isEqualTo(32);
        churnReportsNothingUntilQuiet(23, "on a peer owning 32 addresses");
    }

    @Test
    void aRemnantRunningDryIsNotPromptWhileThePeerHasPlentyElsewhere() {
        // 32 addresses, the network address among them: filling the other 31 is above the floor and a sixteenth.
        ring = ring.edit(SELF, space::freeIn).split(UNIVERSE.base() + 32).commit().ring();
        within = ring.rangeAt(0);
        settled();
        idleFor(1_000); // away from a check (every 5 s), so the next tick is not one
        while (actual() > 0) {
            start();
        }
        tick();
        // Donors read a peer's total: this peer still has most of its /24 free, so the remnant filling up is
        // a big difference (a sixteenth) for the next check, not a dry peer for the next tick.
        assertThat(reported).as("no report at the tick after the remnant filled").isEmpty();
        idleFor(CONFIG.freeReportInterval());
        assertThat(reported).hasSize(1);
        assertThat(inRing()).isZero();
    }

    @Test
    void aQuietRangeReportsItsExactCount() {
        settled();
        churn(3 * 60_000, 11);
        long wanted = actual();
        assertThat(inRing()).isNotEqualTo(wanted);
        idleFor(CONFIG.freeReportQuiet() + CONFIG.freeReportInterval());
        assertThat(inRing()).isEqualTo(wanted);
        assertThat(reported).hasSize(1);
        assertThat(reported.get(0) - lastChange).as("waited for the range to be quiet")
                .isGreaterThanOrEqualTo(CONFIG.freeReportQuiet());
    }

    @Test
    void runningDryAndRefillingGoOutAtTheNextTick() {
        settled();
        churn(30_000, 13);
        while (actual() > 0) {
            start();
        }
        tick();
        assertThat(reported).as("dry: reported at the tick after the change").containsExactly(now);
        assertThat(inRing()).isZero();
        stop(); // refilled
        tick();
        assertThat(reported).as("refilled: reported at the tick after the change").hasSize(2).endsWith(now);
        assertThat(inRing()).isEqualTo(1);
    }

    @Test
    void driftThatAddsUpToASixteenthGoesOutAtTheNextCheck() {
        settled();
        Range range = ring.rangeAt(0);
        long sixteenth = range.size() / 16;
        long start = now;
        for (int i = 0; i < sixteenth + 8; i++) {
            start(); // one more pod a second, none stopped: the count keeps moving
            idleFor(1_000);
        }
        // The 16th pod starts 15 s in; the next check (every 5 s) sees a sixteenth and reports it.
        assertThat(reported).as("drift reported once it reached a sixteenth, and only then").hasSize(1);
        assertThat(reported.get(0) - start).isGreaterThan((sixteenth - 1) * 1_000)
                .isLessThanOrEqualTo((sixteenth - 1) * 1_000 + CONFIG.freeReportInterval());
    }
}
