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
 * sixteenth of all this peer owns, running dry, refilling) or when the range has gone quiet: its count has not
 * changed for {@code freeReportQuiet}. Running dry and refilling decide whether others ask this peer for space
 * at all, so those go out at the next tick after a change; a big difference waits for the next check
 * ({@code freeReportInterval}). Big is measured against the peer's whole space, not the range's, because donor
 * choice reads a peer's total ({@link Donors}): grants leave owners small remnant ranges (a few addresses
 * beside a held one), where one address is already a sixteenth, and the allocation cursor passes through them.
 *
 * <p>Why quiet, not merely old: a difference of a few addresses tells a donor chooser nothing, and under
 * ordinary pod churn (pods start and stop all the time, the count wanders a few addresses either way) it is
 * always there. Reporting any difference once it had lasted a minute made every entry of the ring report
 * about once a minute under churn, each report a delta that reaches every peer and makes digest exchanges
 * differ: at 1000 peers most of the gossip. A range whose count keeps moving a little is left as it was
 * reported; its drift still goes out once it adds up to a sixteenth. When the range rests, its count goes
 * out exactly, so at quiescence every count in the ring is true.
 *
 * <p>A count is looked at on every tick that allocated or released something (and at every check), so a range
 * is quiet only if no such tick changed its count. A change this class did not see (while the peer was not
 * ready) only makes a range look quieter than it was: an early, exact report, never a missing one.
 *
 * <p>A range that rests (taken over, not yet usable) is never reported: a report would turn the takeover
 * claim into an ordinary one, which no longer yields to a change the removed install made unheard
 * (simulator seed 6897). A rest may end at any tick (its time runs out, a hand-over or the ring comparison
 * settles it, possibly long after its time), and the range then counts as refilled: its count goes out at
 * once. Waiting for the report interval left the ring's count of a range settled late unlike its owner's
 * (simulator seeds 842, 4004, 7190).
 */
final class FreeReports {
    /** Each owned, usable range's count when last looked at, and since when it has had that count. */
    private Map<Long, Seen> seen = new HashMap<>();
    /** Tokens skipped at the last report because they rested: reported as soon as they are usable. */
    private final Set<Long> resting = new HashSet<>();
    private long next;

    private record Seen(long free, long since) { }

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
        Map<Long, Seen> before = seen;
        seen = new HashMap<>();
        long owned = space.size();
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
            Seen last = before.get(e.token());
            long quietSince = last != null && last.free() == actual ? last.since() : now;
            seen.put(e.token(), new Seen(actual, quietSince));
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
            boolean big = Math.abs(actual - reported) * 16 >= owned || refilled;
            if (big || now - quietSince >= config.freeReportQuiet()) {
                edit.reportFree(e.token(), actual);
                any = true;
            }
        }
        return any ? edit : null;
    }
}
