package dev.weft.daemon.loop;

import dev.weft.core.node.Status;
import dev.weft.core.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per change that matters, found by comparing each tick's {@link CoreView} with the last. */
final class StateLog {
    private static final Logger log = LoggerFactory.getLogger("weft.state");
    private final PeerId self;
    private CoreView last;

    StateLog(PeerId self) {
        this.self = self;
    }

    void observe(CoreView now) {
        CoreView was = last;
        last = now;
        if (was == null) {
            log.info("{} is {}: owns {} addresses in {} ranges, {} held", self, phaseWords(now), now.owned(),
                    now.ownedRanges(), now.held());
            return;
        }
        if (was.phase() != now.phase()) {
            log.info("{} is now {} (was {}): owns {} addresses in {} ranges", self, phaseWords(now), phaseWords(was),
                    now.owned(), now.ownedRanges());
        } else if (was.owned() != now.owned()) {
            log.info("{} {} space: now owns {} addresses in {} ranges (was {})", self,
                    now.owned() > was.owned() ? "received" : "granted away", now.owned(), now.ownedRanges(),
                    was.owned());
        }
        if (was.conflicts() != now.conflicts()) {
            log.warn("ring conflicts: {} (was {}); nobody allocates from a conflicted range until an operator settles"
                    + " it", now.conflicts(), was.conflicts());
        }
        if (was.fenced() != now.fenced()) {
            log.warn("{} holds {} addresses in ranges it no longer owns (was {}): they are fenced, see weft status",
                    self, now.fenced(), was.fenced());
        }
        if (was.peersReachable() != now.peersReachable()) {
            log.info("peers reachable: {} of {} known (was {})", now.peersReachable(), now.peersKnown(),
                    was.peersReachable());
        }
    }

    private static String phaseWords(CoreView v) {
        if (v.phase() == Status.Phase.FORMING) {
            return "forming the ring (" + v.forming() + ")";
        }
        return switch (v.phase()) {
            case READY -> "ready";
            case RECOVERING -> "restarted, comparing its ring with the cluster before it hands out addresses";
            case RESTORED -> "running from a data folder older than the cluster's view of it; allocates nothing";
            default -> "removed from the cluster and allocates nothing";
        };
    }
}
