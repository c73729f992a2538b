package dev.weft.core.node;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
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
    /** Peers sent {@link #last} since it last changed. */
    private final Set<PeerId> told = new HashSet<>();
    private final RingSync sync;

    HandOverRounds(RingSync sync) {
        this.sync = sync;
    }

    /**
     * Sends this round's hand-over, if any is owed: while removed, while anything is fenced, once more after
     * the last fenced hold went (so its keepers release it; and then to each peer that has not heard that yet,
     * {@link #retract}), and while a successor owes its word
     * ({@code owesWord}), and while a claim of this peer lost to a rival takeover ({@code owed}: the winner
     * waits for this word, {@link Rivals}). It lists the installs this peer still waits for and those it
     * speaks for.
     */
    void round(PeerId self, Ring ring, boolean removed, Map<Attachment, Long> fenced, Collection<PeerId> awaited,
            List<PeerId> speaksFor, boolean owesWord, List<Message.Yield> owed, Set<PeerId> up,
            BiConsumer<PeerId, Message> send) {
        List<PeerId> waiting = new ArrayList<>(awaited);
        waiting.remove(self);
        speaksFor.stream().filter(p -> !waiting.contains(p)).forEach(waiting::add);
        if (!(removed || !fenced.isEmpty() || last != null && !last.isEmpty() || owesWord || !owed.isEmpty())) {
            if (last != null) {
                retract(waiting, up, send);
            }
            return;
        }
        List<Hold> holds = new ArrayList<>();
        fenced.forEach((a, address) -> holds.add(new Hold(a, address)));
        // Those it knows took its ranges every round; everyone reachable when what it holds changed, and now
        // and then, since a peer keeping its holds need not own a takeover claim any more. A successor's
        // word with nothing fenced concerns only rests, which owners of takeover claims hold: no broadcast.
        boolean changed = !holds.equals(last);
        last = holds;
        if (changed) {
            told.clear();
        }
        boolean all = changed || ++rounds % 4 == 0 && (removed || !holds.isEmpty());
        Set<PeerId> to = new TreeSet<>(all ? up : HandOvers.targets(ring, self, fenced.values(), up));
        to.addAll(Rivals.winners(ring, owed)); // a claim that lost: the winner waits for our word
        to.retainAll(up);
        for (PeerId p : to) {
            send.accept(p, new Message.HandOver(holds, waiting, owed));
        }
        told.addAll(to);
    }

    /**
     * Nothing is held elsewhere any more, and that word is not repeated: a peer that was down when it went out
     * kept what we had handed over before, for ever (soak seed 10762: p10, down, kept for p03 a pod's address p03
     * had stopped listing). So every peer hears it once, one that was down once it is back, and only once this
     * peer compared equal rings with it since it came up: had it removed us meanwhile (while cut off from us), we
     * would know, and owe it our whole word instead of an empty one that would end its wait for our pods.
     *
     * <p>Only what this run said is taken back ({@code last}, in memory). A peer rebuilt from its folder says
     * nothing on the strength of that folder: it may be an older copy that misses a pod handed over since, and
     * the runtime's list of live pods may miss it too, so "nothing" could free a live pod's address at its
     * keeper. A keeper told nothing after such a restart keeps the address (a leak, never a duplicate; soak seed
     * 7901, and the review of this rule).
     */
    private void retract(List<PeerId> waiting, Set<PeerId> up, BiConsumer<PeerId, Message> send) {
        for (PeerId p : up) {
            if (!told.contains(p) && sync.comparedSinceUp(p)) {
                send.accept(p, new Message.HandOver(List.of(), waiting, List.of()));
                told.add(p);
            }
        }
    }
}
