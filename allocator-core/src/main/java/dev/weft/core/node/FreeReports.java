package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingEditor;
import dev.weft.core.space.Space;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * When the owner writes its true free counts into the ring. Exact counts on every allocation would make the
 * ring churn and gossip grow with the allocation rate, so a count goes out when the difference matters (a
 * sixteenth of the range, running dry, refilling) or has lasted {@code freeReportMaxDelay}. Running dry and
 * refilling decide whether others ask this peer for space at all, so those go out at the next tick after a
 * change; the rest wait for the report interval.
 *
 * <p>A range that rests (taken over, not yet usable) is never reported: a report would turn the takeover
 * claim into an ordinary one, which no longer yields to a change the removed install made unheard
 * (simulator seed 6897). A rest may end at any tick (its time runs out, a hand-over or the ring comparison
 * settles it, possibly long after its time), and the range then counts as refilled: its count goes out at
 * once. Waiting for the report interval left the ring's count of a range settled late unlike its owner's
 * (simulator seeds 842, 4004, 7190).
 */
final class FreeReports {
    private final Map<Long, Long> lastReport = new HashMap<>();
    /** Tokens skipped at the last report because they rested: reported as soon as they are usable. */
    private final Set<Long> resting = new HashSet<>();
    private long next;

    /**
     * The edit that reports what is due at this tick, or null. {@code spaceChanged}: something was allocated,
     * released or given since the last tick.
     */
    RingEditor due(Ring ring, PeerId self, Space space, long now, CoreConfig config, boolean spaceChanged) {
        boolean full = now >= next;
        if (full) {
            next = now + config.freeReportInterval();
        } else if (!spaceChanged && resting.isEmpty()) {
            return null;
        }
        RingEditor edit = ring.edit(self, space::freeIn);
        Set<Long> wasResting = new HashSet<>(resting);
        resting.clear();
        boolean any = false;
        for (int i = 0; i < ring.size(); i++) {
            Entry e = ring.entry(i);
            if (!self.equals(ring.ownerAt(i))) {
                continue;
            }
            Range r = ring.rangeAt(i);
            if (space.usableFrom(r.start()) > now) {
                resting.add(e.token());
                continue;
            }
            long actual = space.freeIn(r);
            long reported = ring.claimAt(i).free();
            if (e.conflicted()) {
                // A settled clash (a tombstoned install, a yielded rival): restate our claim alone, so it goes.
                edit.reportFree(e.token(), actual);
                any = true;
                continue;
            }
            if (actual == reported) {
                continue;
            }
            boolean refilled = actual == 0 || reported == 0 || wasResting.contains(e.token());
            if (!full && !refilled) {
                continue;
            }
            boolean big = Math.abs(actual - reported) * 16 >= r.size() || refilled;
            if (big || now - lastReport.getOrDefault(e.token(), 0L) >= config.freeReportMaxDelay()) {
                edit.reportFree(e.token(), actual);
                lastReport.put(e.token(), now);
                any = true;
            }
        }
        return any ? edit : null;
    }
}
