package dev.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.node.Alarm;
import dev.weft.core.node.Input;
import dev.weft.core.node.Result;
import dev.weft.core.node.Status;
import dev.weft.core.space.Attachment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour across peers, on a calm simulated network: each test sets up one situation by hand. */
class ScenarioTest {
    static final Cidr SMALL = Cidr.parse("10.32.0.0/26");

    static Simulation formed(int peers, SimConfig.Mode mode) {
        Simulation sim = new Simulation(SimConfig.calm(7, peers, SMALL, mode));
        sim.start();
        assertThat(sim.runUntil(sim::allFormed, 10_000)).as("formed").isTrue();
        sim.runFor(2_000);
        return sim;
    }

    static long assigned(Result r) {
        assertThat(r).isInstanceOf(Result.Assigned.class);
        return ((Result.Assigned) r).address();
    }

    @ParameterizedTest
    @EnumSource(SimConfig.Mode.class)
    void everyBootstrapModeFormsOneRingThatCoversTheSpace(SimConfig.Mode mode) {
        Simulation sim = formed(5, mode);
        assertThat(sim.converged()).isTrue();
        var ring = sim.node("p00").peer.ring();
        assertThat(ring.invariantViolations()).isEmpty();
        assertThat(ring.conflicts()).isEmpty();
    }

    @Test
    void aPeerThatRunsOutGetsAShareFromThePeerWithTheMostFreeSpace() {
        Simulation sim = formed(2, SimConfig.Mode.SEEDS);
        // p00 owns half of the /26 (31 usable after the network address); fill it and go on.
        for (int i = 0; i < 40; i++) {
            int n = i;
            assigned(sim.ask("p00", id -> new Input.Allocate(id, new Attachment("c" + n, "eth0"), null)));
        }
        Status s = sim.node("p00").peer.status();
        assertThat(s.held()).isEqualTo(40);
        assertThat(s.ownedSize()).isGreaterThan(32);
        sim.runFor(3_000);
        assertThat(sim.converged()).isTrue();
    }

    @Test
    void aClaimOfAnAddressAnotherPeerOwnsIsAskedForAndGranted() {
        Simulation sim = formed(2, SimConfig.Mode.SEEDS);
        long wanted = IPv4.parse("10.32.0.50");
        assertThat(sim.node("p01").peer.ring().ownerOf(wanted)).isEqualTo(sim.node("p01").id);
        long got = assigned(sim.ask("p00", id -> new Input.Claim(id, new Attachment("sticky", "eth0"), wanted)));
        assertThat(got).isEqualTo(wanted);
        assertThat(sim.node("p00").peer.ring().ownerOf(wanted)).isEqualTo(sim.node("p00").id);
        // Held by p00 now: p01 cannot give it to anyone else.
        Result second = sim.ask("p01", id -> new Input.Claim(id, new Attachment("other", "eth0"), wanted));
        assertThat(((Result.Refused) second).why()).isEqualTo(Result.Why.IN_USE);
        assertThat(((Result.Refused) second).message()).contains("sticky");
    }

    @Test
    void withTheOnlyDonorUnreachableAnAllocateIsAnsweredTryAgainLater() {
        Simulation sim = formed(2, SimConfig.Mode.SEEDS);
        for (int i = 0; i < 30; i++) {
            int n = i;
            assigned(sim.ask("p00", id -> new Input.Allocate(id, new Attachment("c" + n, "eth0"), Cidr.parse("10.32.0.0/27"))));
        }
        sim.setCut("p00", "p01", true);
        sim.runFor(2_000);
        Cidr quarter = Cidr.parse("10.32.0.0/26");
        assigned(sim.ask("p00", id -> new Input.Allocate(id, new Attachment("last", "eth0"), quarter)));
        Result r = sim.ask("p00", id -> new Input.Allocate(id, new Attachment("late", "eth0"), quarter));
        assertThat(r).isInstanceOf(Result.TryLater.class);
        assertThat(((Result.TryLater) r).reason()).contains("no reachable peer");
        sim.setCut("p00", "p01", false);
        sim.runFor(2_000);
        assigned(sim.ask("p00", id -> new Input.Allocate(id, new Attachment("late", "eth0"), quarter)));
    }

    @Test
    void aPeerRemovedWhileAliveFencesItselfAndRaisesAnAlarm() {
        Simulation sim = formed(3, SimConfig.Mode.SEEDS);
        long held = assigned(sim.ask("p01", id -> new Input.Allocate(id, new Attachment("victim", "eth0"), null)));
        // The operator sees p01 unreachable (a partition, not a death) and removes it through p00.
        sim.setCut("p00", "p01", true);
        sim.setCut("p02", "p01", true);
        sim.runFor(2_000);
        Result r = sim.ask("p00", id -> new Input.RemovePeer(id, "p01", false));
        assertThat(r).isInstanceOf(Result.Done.class);
        // p01 keeps working meanwhile, then the partition heals.
        sim.ask("p01", id -> new Input.Allocate(id, new Attachment("during", "eth0"), null));
        sim.setCut("p00", "p01", false);
        sim.setCut("p02", "p01", false);
        sim.runFor(3_000);
        Status s = sim.node("p01").peer.status();
        assertThat(s.phase()).isEqualTo(Status.Phase.REMOVED);
        assertThat(s.alarms()).extracting(Alarm::kind).contains(Alarm.Kind.REMOVED_WHILE_ALIVE);
        assertThat(s.fenced()).extracting(h -> h.address()).contains(held);
        Result after = sim.ask("p01", id -> new Input.Allocate(id, new Attachment("after", "eth0"), null));
        assertThat(((Result.Refused) after).why()).isEqualTo(Result.Why.FENCED);
        assertThat(sim.converged()).isTrue();
    }
}
