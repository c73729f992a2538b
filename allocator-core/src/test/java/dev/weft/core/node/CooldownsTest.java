package dev.weft.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.space.Attachment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cool-downs are durations: a restart whose clock was reset or jumped never ends one early, and one that is
 * over is forgotten, on disk too.
 */
class CooldownsTest {
    final PeerTest h = new PeerTest();

    /** A two-seed peer that removed the other seed: half the space rests for the configured cool-down. */
    Peer tookOver() {
        Peer p = Peer.fresh(CoreConfig.defaults(PeerTest.UNIVERSE, new Bootstrap.Seeds(List.of("node-a", "node-b"))),
                PeerTest.SELF, 1);
        h.step(p, new Input.PeerUp(PeerTest.OTHER));
        h.step(p, new Input.Receive(PeerTest.OTHER, new Message.Digest(null, 0)));
        h.step(p, new Input.Tick());
        h.step(p, new Input.PeerDown(PeerTest.OTHER));
        assertThat(h.ask(p, id -> new Input.RemovePeer(id, PeerTest.OTHER.toString(), true))).isInstanceOf(Result.Done.class);
        return p;
    }

    long coolingStart(Peer p) {
        for (Range r : p.space().ranges()) {
            if (p.space().usableFrom(r.start()) > 0) {
                return r.start();
            }
        }
        throw new AssertionError("nothing is cooling down");
    }

    @Test
    void settlingAnOlderRestLeavesTheTimeOfALaterRestOverPartOfItsRange() {
        // Seed 7692: a forced rest over a removed install's old range settles once this peer has compared rings
        // with everyone; meanwhile part of that range was given away and, its new owner removed too, taken over
        // again, and that later rest still waits. Re-timing the whole old range made the later part usable at once.
        Cooldowns c = new Cooldowns();
        Range old = new Range(1_000, 2_000);
        Range later = new Range(1_256, 1_512);
        c.start(old, 3_000, 0, PeerTest.SELF, false);
        c.start(later, 3_000, 10_000, PeerTest.SELF, false);
        Map<Range, Long> retimed = new LinkedHashMap<>();
        List<Record> settled = c.settleSynced(PeerTest.SELF, since -> since < 10_000, retimed::put);
        assertThat(settled).hasSize(1);
        assertThat(retimed).containsExactly(Map.entry(new Range(1_000, 1_256), 3_000L),
                Map.entry(new Range(1_512, 2_000), 3_000L));
    }

    @Test
    void aClockThatJumpedForwardAcrossARestartDoesNotEndACoolDown() throws Exception {
        Peer p = tookOver();
        long cooling = coolingStart(p);
        long rest = p.config().takeoverCooldown();
        Peer back = Peer.recover(p.config(), new ArrayList<>(h.store.values()), 2);
        // The host comes back with its clock ten hours ahead: an absolute deadline would be long past.
        h.now += 36_000_000L;
        h.step(back, new Input.Tick());
        assertThat(back.space().usableFrom(cooling)).isEqualTo(h.now - 1 + rest);
        Result r = h.ask(back, id -> new Input.Claim(id, new Attachment("c1", "eth0"), cooling + 1));
        assertThat(r).as("still resting").isInstanceOf(Result.TryLater.class);
    }

    @Test
    void aClockThatWasResetAcrossARestartDoesNotLengthenItPastItsDuration() throws Exception {
        Peer p = tookOver();
        long cooling = coolingStart(p);
        Peer back = Peer.recover(p.config(), new ArrayList<>(h.store.values()), 2);
        h.now = 5; // reset
        h.step(back, new Input.Tick());
        assertThat(back.space().usableFrom(cooling)).isEqualTo(5 + p.config().takeoverCooldown());
    }

    @Test
    void theRestLeftIsWrittenBackAndARestThatIsOverIsForgotten() {
        Peer p = tookOver();
        long rest = p.config().takeoverCooldown();
        assertThat(h.store.keySet()).anyMatch(k -> k.startsWith("cooldown/"));
        h.now += Cooldowns.CHECKPOINT + 10;
        h.step(p, new Input.Tick());
        assertThat(h.store.values()).filteredOn(r -> r instanceof Record.Cooldown)
                .allMatch(r -> ((Record.Cooldown) r).remaining() < rest);
        h.now += rest;
        h.step(p, new Input.Tick());
        assertThat(h.store.keySet()).noneMatch(k -> k.startsWith("cooldown/"));
        assertThat(p.snapshot()).noneMatch(r -> r instanceof Record.Cooldown);
    }

    @Test
    void restsStillCountAfterManyQuickRestarts() throws Exception {
        Peer p = tookOver();
        long cooling = coolingStart(p);
        long rest = p.config().takeoverCooldown();
        Peer cur = p;
        // Restart every 1.5 s: each incarnation writes back what is left, so the rest ends after about its
        // own length of running time, not never.
        long ran = 0;
        while (cur.space().usableFrom(cooling) > h.now && ran < 4 * rest) {
            h.now += 1_500;
            ran += 1_500;
            h.step(cur, new Input.Tick());
            cur = Peer.recover(p.config(), new ArrayList<>(h.store.values()), 3);
            h.step(cur, new Input.Tick());
        }
        assertThat(cur.space().usableFrom(cooling)).isLessThanOrEqualTo(h.now);
        assertThat(ran).isLessThanOrEqualTo(rest + 2 * (Cooldowns.CHECKPOINT + 1_500));
    }
}
