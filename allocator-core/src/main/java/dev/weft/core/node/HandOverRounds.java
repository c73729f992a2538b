package dev.weft.core.node;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The sending side of hand-overs, one gossip round at a time: a peer whose pods hold addresses in ranges it
 * does not own (removed, a range lost to a takeover that outranked a grant it had, or imported by a
 * succession) tells whoever owns them now, so they keep them held, and hears of each release (seed 415).
 */
final class HandOverRounds {
    /** What this peer last handed over (memory only: after a restart it is sent again). */
    private List<Hold> last;
    private long rounds;

    /**
     * Sends this round's hand-over, if any is owed: while removed, while anything is fenced, once more after
     * the last fenced hold went (so its keepers release it), and while a successor owes its word
     * ({@code owesWord}), and while a claim of this peer lost to a rival takeover ({@code owed}: the winner
     * waits for this word, {@link Rivals}). It lists the installs this peer still waits for and those it
     * speaks for.
     */
    void round(PeerId self, Ring ring, boolean removed, Map<Attachment, Long> fenced, Collection<PeerId> awaited,
            List<PeerId> speaksFor, boolean owesWord, List<Message.Yield> owed, Set<PeerId> up,
            BiConsumer<PeerId, Message> send) {
        if (!(removed || !fenced.isEmpty() || last != null && !last.isEmpty() || owesWord || !owed.isEmpty())) {
            return;
        }
        List<Hold> holds = new ArrayList<>();
        fenced.forEach((a, address) -> holds.add(new Hold(a, address)));
        List<PeerId> waiting = new ArrayList<>(awaited);
        waiting.remove(self);
        speaksFor.stream().filter(p -> !waiting.contains(p)).forEach(waiting::add);
        // Those it knows took its ranges every round; everyone reachable when what it holds changed, and now
        // and then, since a peer keeping its holds need not own a takeover claim any more. A successor's
        // word with nothing fenced concerns only rests, which owners of takeover claims hold: no broadcast.
        boolean changed = !holds.equals(last);
        last = holds;
        boolean all = changed || ++rounds % 4 == 0 && (removed || !holds.isEmpty());
        Set<PeerId> to = new TreeSet<>(all ? up : HandOvers.targets(ring, self, fenced.values(), up));
        to.addAll(Rivals.winners(ring, owed)); // a claim that lost: the winner waits for our word
        to.retainAll(up);
        for (PeerId p : to) {
            send.accept(p, new Message.HandOver(holds, waiting, owed));
        }
    }
}
