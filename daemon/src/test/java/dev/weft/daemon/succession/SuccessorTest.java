package dev.weft.daemon.succession;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.node.Input;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Result;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import dev.weft.daemon.api.RemovalGrace;
import dev.weft.daemon.loop.CoreGateway;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/** The trigger, one round at a time, against a scripted core: who is succeeded, when, and what status says. */
class SuccessorTest {
    static final PeerId SELF = new PeerId("n1", 0x22);
    static final PeerId OLD = new PeerId("n1", 0x11);
    static final PeerId OTHER = new PeerId("n2", 0x33);
    static final Attachment POD = new Attachment("pod-a", "eth0");
    static final long T0 = 1_700_000_000_000L;

    private final AtomicLong clock = new AtomicLong(T0);
    private final Map<PeerId, Long> heard = new HashMap<>();
    private final Scripted core = new Scripted();
    private final LiveHolds holds = new LiveHolds();
    private Ring ring = Ring.initial(new ClusterId("c1"), Cidr.parse("10.32.0.0/16").range(),
            List.of(SELF, OLD, OTHER));

    /** Answers each Succeed with the next scripted result and remembers what it was sent. */
    static final class Scripted implements CoreGateway {
        final Deque<Result> answers = new ArrayDeque<>();
        final List<Input.Succeed> sent = new ArrayList<>();

        @Override
        public CompletableFuture<Result> submit(LongFunction<? extends Input.Request> request) {
            sent.add((Input.Succeed) request.apply(sent.size() + 1));
            return CompletableFuture.completedFuture(answers.remove());
        }

        @Override
        public <T> CompletableFuture<T> read(Function<Peer, T> query) {
            throw new AssertionError("the successor reads the ring through its own supplier");
        }
    }

    private Successor successor() {
        holds.add("cache", () -> Map.of(POD, IPv4.parse("10.32.100.5")));
        return new Successor(() -> CompletableFuture.completedFuture(ring), core, SELF, () -> heard, holds, clock::get,
                RemovalGrace.STANDARD);
    }

    @Test
    void waitsOutTheGraceThenSucceedsOnceWithTheLiveHolds() throws Exception {
        Successor s = successor();
        heard.put(OLD, T0 - 5_000);
        s.round();
        assertThat(core.sent).isEmpty();
        assertThat(s.state()).startsWith("waiting: n1#11 was heard from 5 s ago").contains("at least 55 s more");

        clock.set(T0 - 5_000 + RemovalGrace.STANDARD.millis());
        core.answers.add(new Result.Done("took 1 range, imported 1 hold"));
        s.round();
        assertThat(core.sent).singleElement().satisfies(r -> {
            assertThat(r.predecessor()).isEqualTo(OLD);
            assertThat(r.liveHolds()).containsExactlyEntriesOf(Map.of(POD, IPv4.parse("10.32.100.5")));
        });
        assertThat(s.state()).isEqualTo("done: n1#11: took 1 range, imported 1 hold");

        s.round();
        assertThat(core.sent).as("done with: not sent again").hasSize(1);
    }

    @Test
    void triesAgainAfterTryLaterOrAnUnsafeRefusal() throws Exception {
        Successor s = successor();
        core.answers.add(new Result.TryLater("the ring is forming"));
        core.answers.add(new Result.Refused(Result.Why.UNSAFE, "fenced for now"));
        core.answers.add(new Result.Done("ok"));
        s.round();
        assertThat(s.state()).contains("to be tried again: the ring is forming");
        s.round();
        assertThat(s.state()).contains("to be tried again: UNSAFE: fenced for now");
        s.round();
        assertThat(core.sent).hasSize(3);
        assertThat(s.state()).isEqualTo("done: n1#11: ok");
    }

    @Test
    void aRefusalThatCannotChangeIsNotRetried() throws Exception {
        Successor s = successor();
        core.answers.add(new Result.Refused(Result.Why.UNKNOWN_PEER, "no install n1#11"));
        s.round();
        s.round();
        assertThat(core.sent).hasSize(1);
        assertThat(s.state()).isEqualTo("done: n1#11: refused, no install n1#11");
    }

    @Test
    void waitsForTheRingAndSaysWhenThereIsNothingToSucceed() throws Exception {
        Successor s = successor();
        ring = null;
        s.round();
        assertThat(s.state()).isEqualTo("waiting for the ring");
        ring = Ring.initial(new ClusterId("c1"), Cidr.parse("10.32.0.0/16").range(), List.of(SELF, OTHER));
        s.round();
        assertThat(s.state()).startsWith("not needed");
        assertThat(core.sent).isEmpty();
    }

    @Test
    void anInstallAlreadyRemovedIsSucceededTooSoItsPodsStayProtected() throws Exception {
        ring = ring.edit(OTHER, r -> r.size()).takeOver(OLD).commit().ring();
        assertThat(Predecessors.inRing(SELF, ring)).containsExactlyEntriesOf(Map.of(OLD, true));
        Successor s = successor();
        core.answers.add(new Result.Done("already removed; 1 hold handed to n2#33"));
        s.round();
        assertThat(core.sent).singleElement().extracting(Input.Succeed::predecessor).isEqualTo(OLD);
    }

    @Test
    void anInstallThatStillOwnsRangesIsSucceededBeforeOneAlreadyRemoved() throws Exception {
        PeerId ancient = new PeerId("n1", 0x05);
        ring = Ring.initial(new ClusterId("c1"), Cidr.parse("10.32.0.0/16").range(),
                List.of(SELF, OLD, OTHER, ancient));
        ring = ring.edit(OTHER, r -> r.size()).takeOver(ancient).commit().ring();
        Successor s = successor();
        heard.put(OLD, T0 - 5_000);
        s.round();
        assertThat(core.sent).as("the removed one waits for the owning one, which waits out its grace").isEmpty();
        assertThat(s.state()).contains("n1#11 was heard from 5 s ago").contains("n1#5 (already removed) comes after"
                + " n1#11, which still owns ranges");

        clock.set(T0 + RemovalGrace.STANDARD.millis());
        core.answers.add(new Result.Done("took 1 range"));
        core.answers.add(new Result.Done("already removed"));
        s.round();
        assertThat(core.sent).extracting(Input.Succeed::predecessor).containsExactly(OLD);
        s.round();
        assertThat(core.sent).extracting(Input.Succeed::predecessor).containsExactly(OLD, ancient);
        assertThat(s.state()).isEqualTo("done: n1#11: took 1 range; n1#5: already removed");
    }

    @Test
    void neverItselfNorInstallsOfOtherNames() {
        Ring r = Ring.initial(new ClusterId("c1"), Cidr.parse("10.32.0.0/16").range(),
                List.of(SELF, OTHER, new PeerId("n10", 0x11)));
        assertThat(Predecessors.inRing(SELF, r)).isEmpty();
    }
}
