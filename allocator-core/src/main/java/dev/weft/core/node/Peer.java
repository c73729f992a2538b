package dev.weft.core.node;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import dev.weft.core.address.RangeSets;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.Pending.Ask;
import dev.weft.core.node.Pending.AskKey;
import dev.weft.core.node.Result.Refused;
import dev.weft.core.node.Result.Why;
import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.BadRingException;
import dev.weft.core.ring.Merge;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingEditor;
import dev.weft.core.ring.RingMismatchException;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.core.space.Space;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One weft peer as a deterministic state machine, in the style of etcd's raft: {@link #handle} takes the
 * time and one input and returns what to persist, send and reply, and never does I/O itself. The driver
 * (the daemon, or the simulator) persists first, then sends, then replies.
 *
 * <p>What it keeps: the ring (who owns which range), this peer's space (which of its addresses are held and
 * by whom), requests waiting for space from other peers, and the bootstrap state while the ring is forming.
 */
public final class Peer {
    private static final int MAX_ALARMS = 100;

    private final CoreConfig config;
    private final PeerId self;
    private final Range universe;
    private final Entropy entropy;
    private final Space space;
    private final Forming forming;

    private Ring ring;
    private boolean removed;
    private final TreeSet<PeerId> up = new TreeSet<>();
    private final Map<Attachment, Long> fenced = new LinkedHashMap<>();
    private final Cooldowns cooldowns = new Cooldowns();
    /** Installs this peer removed (as the operator's acting peer): their late-found entries are ours too. */
    private final Set<PeerId> removedByMe = new TreeSet<>();
    /** Those of {@link #removedByMe} the operator removed with force: no hand-over of theirs will come. */
    private final Set<PeerId> forcedByMe = new TreeSet<>();

    private final List<Pending> pending = new ArrayList<>();
    private final TreeMap<Long, Ask> asks = new TreeMap<>();
    private final Map<AskKey, Set<PeerId>> triedDonors = new HashMap<>();
    /** Grants recently given, by asker and ask id, so a repeated request gets the same grant, not a second. */
    private final GrantLog grants = new GrantLog();
    /** Holds kept for installs removed while they ran, and their hand-overs. */
    private final HandOvers handOvers = new HandOvers();
    /** Operator reclaims of gaps waiting for every install's answer, and the answers this peer gives. */
    private final GapReclaim gaps;
    /** Ranges won from rival claims, held back until the losers yield. */
    private final Rivals rivals = new Rivals();
    /** Whom this peer compared rings with, and when: whether its view may be stale. */
    private final RingSync sync = new RingSync();
    /** Rebuilt from a data folder: the wait before handing out, and proof of a restored backup. */
    private final Restore restore = new Restore();
    /** The hand-overs this peer sends for its pods' addresses in ranges it does not own. */
    private final HandOverRounds handOverRounds = new HandOverRounds(sync);

    /** What this peer says about its ring, to whom and when. */
    private final Gossiper gossiper;
    private final FreeReports freeReports = new FreeReports();
    /** Something was allocated, released or given since the last tick. */
    private boolean spaceChanged;
    private final ArrayDeque<Alarm> alarms = new ArrayDeque<>();
    private final Set<String> raised = new HashSet<>();

    private boolean fresh;
    private long now;
    private Output.Builder out;

    private Peer(CoreConfig config, PeerId self, long seed, boolean fresh) {
        this.config = config;
        this.self = self;
        this.universe = config.universe().range();
        this.entropy = new Entropy(seed);
        this.space = new Space(config.universe().base(), config.universe().range().end() - 1);
        this.gaps = new GapReclaim(new Entropy(seed ^ 0x6A09E667F3BCC909L));
        this.gossiper = new Gossiper(config, entropy, up, sync);
        this.forming = new Forming(config, self, entropy, up, gossiper::knowsRing);
        this.fresh = fresh;
    }

    /**
     * A brand-new install. Its identity is written in its first step's records, before anything else.
     *
     * @param seed seeds the peer's only source of randomness (gossip targets, ask ids, back-off)
     */
    public static Peer fresh(CoreConfig config, PeerId self, long seed) {
        return new Peer(config, self, seed, true);
    }

    /** Rebuilds a peer from every record it made durable. Nothing in {@code records} is changed. */
    public static Peer recover(CoreConfig config, Collection<Record> records, long seed) throws CorruptStateException {
        return Recovery.recover(config, records, seed);
    }

    // ------------------------------------------------------------------ the step

    /** Handles one input at time {@code now} (milliseconds; never earlier than the previous call). */
    public Output handle(long now, Input input) {
        this.now = Math.max(this.now, now);
        this.out = new Output.Builder();
        if (cooldowns.unanchored()) {
            anchorCooldowns();
        }
        if (fresh) {
            out.persist(new Record.Identity(self));
            fresh = false;
        }
        if (input instanceof Input.Request r) {
            request(r);
        } else if (input instanceof Input.Tick) {
            tick();
        } else if (input instanceof Input.Receive r) {
            receive(r.from(), r.message());
        } else if (input instanceof Input.PeerUp u) {
            peerUp(u.peer());
        } else if (input instanceof Input.PeerDown d) {
            peerDown(d.peer());
        }
        for (Record r : out.persist) {
            if (r instanceof Record.Held || r instanceof Record.Freed) {
                spaceChanged = true;
                break;
            }
        }
        Output result = out.build();
        out = null;
        return result;
    }

    private void request(Input.Request r) {
        if (r instanceof Input.Allocate a) {
            allocate(a);
        } else if (r instanceof Input.Claim c) {
            claim(c);
        } else if (r instanceof Input.Release rel) {
            out.reply(rel.id(), new Result.Released(release(rel.attachment())));
        } else if (r instanceof Input.ReleaseContainer rc) {
            List<Hold> freed = new ArrayList<>();
            for (Attachment a : Holders.of(rc.containerId(), rc.network(), space, fenced.keySet(), pending)) {
                freed.addAll(release(a));
            }
            out.reply(rc.id(), new Result.Released(freed));
        } else if (r instanceof Input.Gc gc) {
            gc(gc);
        } else if (r instanceof Input.RemovePeer rp) {
            removePeer(rp);
        } else if (r instanceof Input.Leave l) {
            leave(l);
        } else if (r instanceof Input.Succeed s) {
            succeed(s);
        } else if (r instanceof Input.Readmit rm) {
            readmit(rm);
        } else if (r instanceof Input.ReclaimGap g && readyForOperator(g.id())) {
            gaps.start(g, ring, self, up, sync.caughtUp(), now, config.requestDeadline(), out, this::claimGap);
        } else if (r instanceof Input.Settle st && readyForOperator(st.id())) {
            Result[] refusal = new Result[1];
            dev.weft.core.ring.Conflict c = Settling.find(ring, st, refusal);
            if (c != null) {
                applyToAll(ring.edit(self, space::freeIn).settle(c.range().start(), st.owner()).commit(), false);
            }
            out.reply(st.id(), c != null ? Settling.done(c, st) : refusal[0]);
        }
    }

    // ------------------------------------------------------------------ allocation

    private String notReady() {
        if (removed) {
            return "this peer install (" + self + ") was removed from the cluster by an operator and no longer"
                    + " allocates; wipe its data folder and restart it to rejoin as a new install";
        }
        return restore.fenced(self);
    }

    /** Rebuilt from a data folder and not yet compared with every install it knows of: hands out nothing new. */
    private boolean recovering() {
        return ring != null && restore.gated(() -> sync.withAllSince(Restore.peers(ring, up, self), Long.MIN_VALUE));
    }

    private void allocate(Input.Allocate a) {
        Range within = universe;
        if (a.within() != null) {
            Cidr c = a.within();
            if (!universe.contains(c.range())) {
                out.reply(a.id(), new Refused(Why.BAD_REQUEST, "subnet " + c + " is not inside the address space "
                        + config.universe() + ": ask for a subnet of it, or none"));
                return;
            }
            within = c.hosts();
        }
        if (!admit(a.id(), a.attachment())) {
            return;
        }
        long held = space.addressOf(a.attachment());
        if (held >= 0) {
            out.reply(a.id(), new Result.Assigned(held));
            return;
        }
        if (joinPending(a.id(), a.attachment())) {
            return;
        }
        long address = space.allocate(a.attachment(), within, now);
        if (address >= 0) {
            out.persist(new Record.Held(new Hold(a.attachment(), address)));
            out.reply(a.id(), new Result.Assigned(address));
            return;
        }
        pending.add(new Pending(a.id(), a.attachment(), within, false, now + config.requestDeadline()));
        retryPending();
    }

    /** Common gate for allocate and claim: fenced, forming, or holding a fenced address. */
    private boolean admit(long id, Attachment who) {
        String why = notReady();
        if (why != null) {
            out.reply(id, new Refused(Why.FENCED, why));
            return false;
        }
        Long lost = ring == null ? null : fenced.get(who);
        if (lost != null) {
            out.reply(id, new Refused(Why.FENCED, who + " holds " + IPv4.format(lost) + " in a range this peer lost;"
                    + " release it (CNI DEL) and ask again"));
            return false;
        }
        if (ring == null || recovering() && space.addressOf(who) < 0) {
            out.reply(id, new Result.TryLater(ring == null ? forming.status() : Restore.WAITING));
            return false;
        }
        return true;
    }

    /**
     * A repeated allocate joins whatever the attachment already waits for (any address will do, and it
     * gets the same one); a claim joins only a wait for the same address (see {@link #claim}).
     */
    private boolean joinPending(long id, Attachment who) {
        Pending p = pendingOf(who);
        if (p != null) {
            p.ids.add(id);
        }
        return p != null;
    }

    private Pending pendingOf(Attachment who) {
        for (Pending p : pending) {
            if (p.attachment.equals(who)) {
                return p;
            }
        }
        return null;
    }

    private void claim(Input.Claim c) {
        if (!universe.contains(c.address()) || space.isReserved(c.address())) {
            out.reply(c.id(), new Refused(Why.BAD_REQUEST, IPv4.format(c.address()) + " is not a usable address of "
                    + config.universe() + " (the network and broadcast addresses are never handed out)"));
            return;
        }
        if (!admit(c.id(), c.attachment())) {
            return;
        }
        long held = space.addressOf(c.attachment());
        if (held >= 0 && held != c.address()) {
            out.reply(c.id(), new Refused(Why.IN_USE, c.attachment() + " already holds " + IPv4.format(held)
                    + "; release it first"));
            return;
        }
        Pending waiting = pendingOf(c.attachment());
        if (waiting != null) {
            if (waiting.exact && waiting.within.start() == c.address()) {
                waiting.ids.add(c.id());
            } else {
                out.reply(c.id(), new Refused(Why.IN_USE, c.attachment() + " is already waiting for "
                        + (waiting.exact ? IPv4.format(waiting.within.start()) : "an address in " + waiting.within)
                        + "; release it first to ask for " + IPv4.format(c.address())));
            }
            return;
        }
        switch (space.claim(c.attachment(), c.address(), now)) {
            case TAKEN -> {
                out.persist(new Record.Held(new Hold(c.attachment(), c.address())));
                out.reply(c.id(), new Result.Assigned(c.address()));
            }
            case ALREADY_YOURS -> out.reply(c.id(), new Result.Assigned(c.address()));
            case HELD_BY_OTHER -> out.reply(c.id(), new Refused(Why.IN_USE, IPv4.format(c.address()) + " is held by "
                    + space.holder(c.address())));
            case HOLDS_OTHER -> out.reply(c.id(), new Refused(Why.IN_USE, c.attachment() + " already holds "
                    + IPv4.format(space.addressOf(c.attachment())) + "; release it first"));
            case RESERVED -> out.reply(c.id(), new Refused(Why.BAD_REQUEST, IPv4.format(c.address()) + " is reserved"));
            case COOLING -> out.reply(c.id(), new Result.TryLater(IPv4.format(c.address()) + " is in a range taken"
                    + " over from a removed peer, usable " + (space.usableFrom(c.address()) == Long.MAX_VALUE
                    ? "once that install has handed over what its pods hold, or is known to be gone"
                    : "in " + (space.usableFrom(c.address()) - now) + " ms")));
            case NOT_OWNED -> {
                pending.add(new Pending(c.id(), c.attachment(), new Range(c.address(), c.address() + 1), true,
                        now + config.requestDeadline()));
                retryPending();
            }
        }
    }

    /** Frees what {@code who} holds (also a fenced hold), cancels its pending request, and persists it. */
    private List<Hold> release(Attachment who) {
        List<Hold> freed = new ArrayList<>();
        long address = space.release(who);
        Long lost = fenced.remove(who);
        if (address >= 0) {
            freed.add(new Hold(who, address));
        } else if (lost != null) {
            freed.add(new Hold(who, lost));
        }
        if (!freed.isEmpty()) {
            out.persist(new Record.Freed(who));
        }
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.attachment.equals(who)) {
                it.remove();
                for (long id : p.ids) {
                    out.reply(id, new Result.TryLater(who + " was released while it waited for an address"));
                }
            }
        }
        return freed;
    }

    private void gc(Input.Gc gc) {
        List<Hold> freed = new ArrayList<>();
        for (Attachment a : Holders.doomed(gc, space, fenced.keySet(), handOvers)) {
            freed.addAll(release(a));
        }
        out.reply(gc.id(), new Result.Released(freed));
    }

    // ------------------------------------------------------------------ asking for space

    /**
     * Serves what waits for space: what can be served now is, what is past its deadline is answered "try
     * again later", and for the rest an ask to a donor is kept going.
     */
    private void retryPending() {
        if (notReady() != null) {
            refuseAllPending();
            return;
        }
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            long address = -1;
            String refusal = null;
            if (ring != null && !removed) {
                if (p.exact) {
                    Space.ClaimResult r = space.claim(p.attachment, p.within.start(), now);
                    if (r == Space.ClaimResult.TAKEN || r == Space.ClaimResult.ALREADY_YOURS) {
                        address = p.within.start();
                    } else if (r == Space.ClaimResult.HELD_BY_OTHER || r == Space.ClaimResult.HOLDS_OTHER) {
                        refusal = IPv4.format(p.within.start()) + " is held by " + space.holder(p.within.start())
                                + (r == Space.ClaimResult.HOLDS_OTHER ? ", and " + p.attachment + " holds another" : "");
                    }
                } else {
                    address = space.allocate(p.attachment, p.within, now);
                }
            }
            if (address >= 0) {
                it.remove();
                out.persist(new Record.Held(new Hold(p.attachment, address)));
                for (long id : p.ids) {
                    out.reply(id, new Result.Assigned(address));
                }
                continue;
            }
            String why = refusal != null ? null : p.deadline <= now ? "waited " + config.requestDeadline()
                    + " ms for space from other peers" : ensureAsk(p.key());
            if (refusal != null || why != null) {
                it.remove();
                for (long id : p.ids) {
                    out.reply(id, refusal != null ? new Refused(Why.IN_USE, refusal) : new Result.TryLater(why));
                }
            }
        }
        if (pending.isEmpty()) {
            triedDonors.clear();
        }
    }

    /** Removed: what waits for space is answered "fenced" at once, and nothing is asked for any more. */
    private void refuseAllPending() {
        for (Pending p : pending) {
            for (long id : p.ids) {
                out.reply(id, new Refused(Why.FENCED, notReady()));
            }
        }
        pending.clear();
        asks.clear();
        triedDonors.clear();
    }

    /** Makes sure an ask for {@code key} is out; returns why none can be, or null. */
    private String ensureAsk(AskKey key) {
        for (Ask a : asks.values()) {
            if (a.key().equals(key)) {
                return null;
            }
        }
        if (ring == null) {
            return forming.status();
        }
        String[] why = new String[1];
        PeerId donor = Donors.choose(ring, key, self, up, triedDonors.computeIfAbsent(key, k -> new HashSet<>()), why);
        if (donor == null) {
            return why[0];
        }
        long id = entropy.nextLong();
        asks.put(id, new Ask(id, key, donor, now + config.askTimeout()));
        out.send(donor, new Message.SpaceRequest(id, key.within(), key.exact()));
        return null;
    }

    private void askFailed(long askId) {
        Ask a = asks.remove(askId);
        if (a != null) {
            triedDonors.computeIfAbsent(a.key(), k -> new HashSet<>()).add(a.donor());
            retryPending();
        }
    }

    /** The address asked for is held elsewhere: retrying cannot help, so the answer is final. */
    private void refusePending(AskKey key, String why) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.key().equals(key)) {
                it.remove();
                for (long id : p.ids) {
                    out.reply(id, new Refused(Why.IN_USE, why));
                }
            }
        }
    }

    /** A peer ran out: give it part of a free aligned block (or the exact address), persisted before sent. */
    private void spaceRequest(PeerId from, Message.SpaceRequest req) {
        Range given = grants.given(from, req.ask());
        if (given != null) {
            // Asked again (a duplicate, or a retry across our restart): the same block, as the ring has it now.
            out.send(from, new Message.SpaceGrant(req.ask(), ring.delta(new long[] {given.start()})));
            return;
        }
        String no = Grants.refusal(ring, notReady(), recovering(), from, up);
        if (no != null) {
            out.send(from, new Message.SpaceDenied(req.ask(), no, false));
            return;
        }
        Range block = req.exact() ? Grants.around(space, universe, req.within().start(), now)
                : Grants.share(space, req.within(), now);
        if (block.isEmpty()) {
            Attachment holder = req.exact() ? space.holder(req.within().start()) : null;
            out.send(from, new Message.SpaceDenied(req.ask(), holder != null ? IPv4.format(req.within().start())
                    + " is held by " + holder + " on " + self.name() : "no free addresses in " + req.within(),
                    holder != null));
            return;
        }
        space.remove(block);
        Merge m = ring.edit(self, space::freeIn).give(block, from).commit();
        applyOwnChange(m, from);
        grants.remember(from, req.ask(), block).forEach(out::persist);
        out.send(from, new Message.SpaceGrant(req.ask(), ring.delta(m.changedTokens())));
    }

    // ------------------------------------------------------------------ ring changes

    /** Persists and gossips a change this peer made itself; {@code also} receives it directly. */
    private void applyOwnChange(Merge m, PeerId also) {
        if (!m.changed()) {
            return;
        }
        adopt(m);
        gossiper.push(ring, m.changedTokens(), also, out);
    }

    /** An operator's change, which every reachable peer must hear of at once (see {@link Gossiper#toAll}). */
    private void applyToAll(Merge m, boolean askBack) {
        if (m.changed()) {
            adopt(m);
        }
        gossiper.toAll(ring, m.changedTokens(), askBack, out);
    }

    /** Takes a merged ring: persist what changed, then bring the space in line with it. */
    private void adopt(Merge m) {
        ring = m.ring();
        for (long t : m.changedTokens()) {
            out.persist(new Record.RingEntry(ring.entryFor(t)));
        }
        for (PeerId t : m.newTombstones()) {
            out.persist(new Record.Tombstone(t));
        }
        syncOwnership();
    }

    /** Adopts a complete ring while forming or joining. */
    private void adoptWhole(Ring whole) {
        ring = whole;
        sync.madeOrAdopted();
        forming.done();
        out.persist(new Record.Cluster(ring.cluster(), ring.universe()));
        for (int i = 0; i < ring.size(); i++) {
            out.persist(new Record.RingEntry(ring.entry(i)));
        }
        for (PeerId t : ring.tombstones()) {
            out.persist(new Record.Tombstone(t));
        }
        syncOwnership();
        retryPending();
    }

    /**
     * Brings the space in line with the ring: ranges the ring now gives us are added (cooling down if
     * taken over), ranges it no longer gives us are dropped. Losing a range is never normal (we remove what
     * we give away ourselves before the ring changes), so it fences the holds inside and raises an alarm.
     */
    void syncOwnership() {
        if (ring.isTombstoned(self) && !removed) {
            removed = true;
            refuseAllPending();
            alarm(Alarm.Kind.REMOVED_WHILE_ALIVE, "removed:" + self, "an operator removed this peer install (" + self
                    + ") while it was running; it stopped allocating. Addresses it handed out may now be handed out"
                    + " again by the peer that took its ranges: drain this node, wipe its data folder, restart it");
        }
        List<Range> target = removed ? List.of() : ring.rangesOwnedBy(self);
        List<Range> have = space.ranges();
        for (Range lost : ring.cutAtTokens(RangeSets.subtract(have, target))) {
            boolean wasCooling = space.freeIn(lost, now) == 0;
            List<Hold> evicted = space.remove(lost);
            for (Hold h : evicted) {
                fenced.put(h.attachment(), h.address());
            }
            raise(OwnershipNews.lost(ring, lost, evicted, wasCooling, removed ? Set.of() : removedByMe));
        }
        List<Range> gainedAll = RangeSets.subtract(target, have);
        for (Range gained : gainedAll) {
            for (Cooldowns.Piece piece : cooldowns.pieces(gained)) {
                space.add(piece.range(), piece.usableFrom());
            }
            Holders.readmitFenced(gained, fenced, space);
        }
        syncRivals(gainedAll);
        OwnershipNews.conflicts(ring, self).forEach(this::raise);
    }

    /** Joins a ring piece from {@code from}: a whole ring, a delta, a grant's change, or segment entries. */
    private void gossip(PeerId from, Message m, RingPiece piece) {
        if (ring == null) {
            if (!piece.complete()) {
                return; // A delta is no use without a ring; the sender's digest exchange will bring a whole one.
            }
            if (!piece.universe().equals(universe)) {
                gossiper.refused(from); // no holder to join: founding does not wait for it
                foreign(from, "covers " + piece.universe() + " but this peer is configured for " + config.universe());
                return;
            }
            adoptWhole(Ring.of(piece));
            return;
        }
        Merge merged;
        try {
            merged = ring.merge(piece);
        } catch (RingMismatchException e) {
            foreign(from, e.getMessage());
            return;
        }
        gossiper.merged(from, m, merged, now);
        if (merged.changed()) {
            adopt(merged);
            retakeLateEntries();
            retryPending();
        }
        gossiper.answer(from, m, ring, out);
    }

    private void foreign(PeerId from, String why) {
        if (why != null) {
            alarm(Alarm.Kind.FOREIGN_RING, "foreign:" + from, "peer " + from + " has a ring this peer will not merge: " + why);
        }
    }

    // ------------------------------------------------------------------ membership and time

    private void peerUp(PeerId p) {
        if (p.equals(self)) {
            return;
        }
        // A newer install under the same name replaces the old one in our view of who is reachable.
        up.removeIf(q -> q.name().equals(p.name()) && !q.equals(p));
        up.add(p);
        gossiper.greet(p, ring, now, out);
    }

    private void peerDown(PeerId p) {
        up.remove(p);
        forming.down(p);
        for (Ask a : new ArrayList<>(asks.values())) {
            if (a.donor().equals(p)) {
                askFailed(a.id());
            }
        }
    }

    /** The first step after a restart: restored cool-downs count their stored rest from now. */
    private void anchorCooldowns() {
        cooldowns.anchor(now);
        for (Range cool : cooldowns.ranges()) {
            for (Range owned : RangeSets.intersect(List.of(cool), space.ranges())) {
                for (Cooldowns.Piece piece : cooldowns.pieces(owned)) {
                    space.rest(piece.range(), piece.usableFrom());
                }
            }
        }
        if (ring != null) {
            syncRivals(List.of());
        }
    }

    /** Ranges won from rivals (just gained or resting) stay unused until every loser yielded (see Rivals). */
    private void syncRivals(List<Range> gained) {
        rivals.sync(ring, self, r -> space.usableFrom(r.start()) > now || !RangeSets.intersect(gained, List.of(r))
                .isEmpty(), r -> space.rest(r, Long.MAX_VALUE), r -> cooldowns.pieces(r).forEach(p -> space.rest(
                p.range(), p.usableFrom())));
    }

    /** A rest's end became known: re-time it, unless a loser's yield still holds it back. */
    private void retime(Range r, long usableFrom) {
        space.rest(r, usableFrom);
        syncRivals(List.of());
    }

    private void tick() {
        List<Record> rests = new ArrayList<>();
        cooldowns.advance(now, rests);
        rests.forEach(out::persist);
        for (Ask a : new ArrayList<>(asks.values())) {
            if (a.deadline() <= now) {
                askFailed(a.id());
            }
        }
        retryPending();
        checkRestored(null);
        gaps.tick(up, now, out);
        if (ring != null && !(cooldowns.awaited().isEmpty() && handOvers.keptFor().isEmpty())) {
            proveReplaced();
        }
        if (ring != null) {
            gossiper.forward(ring, out);
        }
        if (gossiper.roundDue(now)) {
            gossipRound();
        }
        if (ring == null) {
            formIfReady();
        } else if (notReady() == null && !recovering()) {
            RingEditor report = freeReports.due(ring, self, space, now, config, spaceChanged);
            if (report != null) {
                applyOwnChange(report.commit(), null);
            }
        }
        spaceChanged = ring != null && recovering(); // nothing reported while it waits: then every range is looked at
    }

    private void gossipRound() {
        if (up.isEmpty()) {
            return;
        }
        List<PeerId> speaksFor = Succession.speaksFor(config, self, removedByMe);
        handOverRounds.round(self, ring, removed, fenced, cooldowns.awaited(), speaksFor,
                Succession.owesWord(ring, self, speaksFor), ring == null ? List.of() : Rivals.owed(ring, self), up,
                out::send);
        boolean recovering = recovering(); // a restart's wait: every round asks each install not yet compared
        gossiper.round(now, ring, unproven(recovering), recovering, out);
    }

    /** The installs a wait of this peer still needs equal rings with: its restart's, else a rest's, else none. */
    private List<PeerId> unproven(boolean recovering) {
        if (recovering) {
            return sync.notSince(Restore.peers(ring, up, self), Long.MIN_VALUE);
        }
        long waiting = ring == null ? -1 : cooldowns.waitingForSelfSince(self);
        return waiting < 0 ? List.of() : sync.notSince(RingSync.known(ring, up, self), waiting);
    }

    // ------------------------------------------------------------------ bootstrap

    private void formIfReady() {
        if (ring == null) {
            founded(forming.tryFound(now, out));
        }
    }

    private void founded(Ring r) {
        if (r != null) {
            adoptWhole(r);
            // Every seed computes the same ring by itself; a consensus value is known first by its proposer,
            // which tells everyone at once rather than waiting for their digests.
            if (config.bootstrap() instanceof Bootstrap.Consensus) {
                gossiper.wholeToAll(ring, out);
            }
        }
    }

    private void paxosMessage(PeerId from, Message m) {
        if (ring != null) {
            out.send(from, new Message.Gossip(ring.whole(), ring.digest(), false));
            return;
        }
        founded(forming.paxos(from, m, now, out));
    }

    // ------------------------------------------------------------------ operator

    /** Operator commands need a ring and an unfenced peer; otherwise answers why, and returns false. */
    private boolean readyForOperator(long id) {
        if (ring == null) {
            out.reply(id, new Result.TryLater(forming.status()));
            return false;
        }
        String why = notReady();
        if (why != null) {
            out.reply(id, new Refused(Why.FENCED, why));
            return false;
        }
        return true;
    }

    private void removePeer(Input.RemovePeer rp) {
        RemovalTarget target = ring == null ? null : RemovalTarget.find(ring, rp.peer(), handOvers.keptFor());
        if (removed && rp.force() && target instanceof RemovalTarget.AlreadyRemoved gone
                && handOvers.keepsFor(gone.peer())) {
            // Fenced, this peer still hands over the pods it kept for an install it had removed. The operator
            // says that host is gone with them: unless they are released here, whoever owns their addresses now
            // keeps them for this peer for ever (soak seed 4566).
            forgetKept(gone.peer(), List.of());
            out.reply(rp.id(), new Result.Done("released what this fenced peer kept for " + gone.peer()));
            return;
        }
        if (!readyForOperator(rp.id())) {
            return;
        }
        if (!sync.caughtUp()) {
            // Just restarted, its ring may be stale: a removal then raises versions others have passed, and
            // its takeover could outlive its cool-down unheard of (simulator seed 251).
            out.reply(rp.id(), new Result.TryLater("this peer has not compared its ring with another peer since it"
                    + " started, so it may not know the lost peer's last changes; try again in a few seconds"));
            return;
        }
        if (target instanceof RemovalTarget.Unclear u) {
            out.reply(rp.id(), new Refused(Why.UNKNOWN_PEER, u.message()));
            return;
        }
        if (target instanceof RemovalTarget.AlreadyRemoved gone) {
            // Idempotent: an operator retrying after a lost answer must not take the ranges twice. But ranges
            // the install gained after its removal, which no live remover will take (its remover lost its
            // data, say), are taken now.
            PeerId t = gone.peer();
            if (rp.force()) {
                // The operator now says its host is gone with its pods: no hand-over will come, and what was
                // kept for them here is free. The sync wait of forced removals still applies.
                cooldowns.forced(t, self).forEach(out::persist);
                if (removedByMe.contains(t) && forcedByMe.add(t)) { // else the takeover below records it
                    out.persist(new Record.Removal(t, true));
                }
                if (handOvers.keepsFor(t)) {
                    forgetKept(t, List.of());
                }
            }
            if (ring.rangesOwnedBy(t).isEmpty()) {
                out.reply(rp.id(), new Result.Done(t + " was already removed"));
            } else {
                int[] taken = takeOverInstall(t, rp.force());
                out.reply(rp.id(), new Result.Done(t + " was already removed; took over the " + taken[0]
                        + " ranges (" + taken[1] + " addresses) it still owned"));
            }
            return;
        }
        PeerId dead = ((RemovalTarget.Live) target).peer();
        if (dead.equals(self) || Succession.mustSucceed(config, self, dead)) {
            out.reply(rp.id(), new Refused(Why.UNSAFE, dead.equals(self) ? "a peer cannot remove itself: use leave on"
                    + " it instead" : Succession.NOT_BY_REMOVAL));
            return;
        }
        if (up.contains(dead) && !rp.force()) {
            out.reply(rp.id(), new Refused(Why.UNSAFE, dead + " is connected to this peer right now. Removing a live"
                    + " peer makes it hand out addresses that this peer will hand out too. Stop it first, or use"
                    + " leave on it; force only if you are sure it is gone"));
            return;
        }
        int[] taken = takeOverInstall(dead, rp.force());
        if (rp.force() && handOvers.keepsFor(dead)) {
            forgetKept(dead, List.of()); // its host is gone with its pods: what a succession had us keep is free
        }
        out.reply(rp.id(), new Result.Done(RemovalTarget.tookOver(dead, taken, config, rp.force())));
    }

    /**
     * Takes every entry {@code dead} claims, tombstones it, and remembers the removal so that entries of it
     * learned later are taken too. Returns {ranges, addresses} taken. Unless {@code force} (the operator
     * says the install's host is gone with its pods), what is taken waits for the install's hand-over.
     */
    private int[] takeOverInstall(PeerId dead, boolean force) {
        // Forced, or replaced (no hand-over will come): our view of what it gave away may be stale, so wait until
        // we compared equal rings with every install we know ("for ourselves") as well as the time (seed 2301).
        PeerId waitsFor = force || replaced(dead) ? self : dead;
        Ring before = ring;
        Merge m = ring.edit(self, space::freeIn).takeOver(dead).commit();
        int addresses = 0;
        for (Record.Cooldown c : cooldowns.takenOver(before, m, self, dead, waitsFor, config.takeoverCooldown(), now)) {
            out.persist(c);
            addresses += (int) c.range().size();
        }
        if (removedByMe.add(dead)) {
            out.persist(new Record.Removal(dead));
        }
        if (force && forcedByMe.add(dead)) {
            out.persist(new Record.Removal(dead, true));
        }
        applyToAll(m, true); // our view of the dead install may be stale: compare with everyone reachable
        return new int[] {m.changedTokens().length, addresses};
    }

    /** Takes a gap every known install disowned: it rests until its time is up and this peer synced with all. */
    private long claimGap(Range gap) {
        if (removed) {
            return -1;
        }
        out.persist(cooldowns.start(gap, config.takeoverCooldown(), now, self, false));
        applyToAll(ring.edit(self, space::freeIn).claimGap(gap).commit(), true);
        return ring.entryFor(gap.start()).version();
    }

    /** Entries of installs this peer removed that reached it only now: take them as well. */
    private void retakeLateEntries() {
        if (removedByMe.isEmpty() || removed) {
            return;
        }
        Set<PeerId> owners = new TreeSet<>();
        for (int i = 0; i < ring.size(); i++) {
            PeerId owner = ring.ownerAt(i);
            if (owner != null && removedByMe.contains(owner)) {
                owners.add(owner);
            }
        }
        for (PeerId dead : owners) {
            // Found late, after its hand-over perhaps: its pods may hold addresses there, so wait for the
            // hand-over again (it keeps sending while it runs) rather than trust time (simulator seed 238);
            // unless its removal was forced: none will come, and the rest would last for ever (seed 3097).
            takeOverInstall(dead, forcedByMe.contains(dead));
        }
    }

    /** A different install now runs under {@code install}'s name, and its pods are gone or spoken for. */
    private boolean replaced(PeerId install) {
        return Succession.replaced(config, self, up, removedByMe, install);
    }

    /**
     * Whether this peer compared equal rings (equal digests, or a whole ring that merged into exactly ours) with
     * every install it knows of, at or after {@code since}: every live owner then has our claims and we have all
     * of its changes, also one a removed install made unheard in a minority (seeds 3457, 3158; design notes).
     */
    private boolean syncedWithAllSince(long since) {
        return sync.withAllSince(RingSync.known(ring, up, self), since);
    }

    private void proveReplaced() {
        for (PeerId d : cooldowns.awaited()) {
            if (replaced(d)) {
                cooldowns.replaced(d, self).forEach(out::persist);
            }
        }
        cooldowns.settleSynced(self, this::syncedWithAllSince, this::retime).forEach(out::persist);
        for (PeerId d : handOvers.keptFor()) {
            if (replaced(d)) {
                forgetKept(d, List.of()); // its pods went with its data
            }
        }
    }

    /** Releases everything kept for removed install {@code d} but {@code still}: its pods are gone. */
    private void forgetKept(PeerId d, Collection<Attachment> still) {
        handOvers.update(d, List.of()).stream().filter(a -> !still.contains(a)).forEach(this::release);
        out.persist(handOvers.record(d));
    }

    /**
     * A removed install's pods hold these addresses: keep those in our ranges held for it (its pods run on),
     * release the ones it no longer lists, and stop waiting for it.
     */
    private void handOver(PeerId from, Message.HandOver h) {
        boolean awaited = cooldowns.awaited().contains(from);
        List<PeerId> spoken = Succession.spokenFor(config, ring, from, h.awaited());
        // From any peer with fenced pods: their addresses in our ranges are kept, however we came to own them
        // (taken from it, from its remover, or granted by whoever had them first; simulator seeds 238, 415). Not
        // once we removed it with force: its host is gone with its pods, so this is an old message (seed 9732).
        List<Attachment> keep = forcedByMe.contains(from) ? List.of() : handOvers.hold(h.holds(), space,
                out::persist, hold -> alarm(Alarm.Kind.CONFLICT, "duplicate:" + hold, "removed install " + from
                + " handed over " + hold + " but this peer handed that address to " + space.holder(hold.address())
                + " meanwhile: two pods share it. The removal was forced on an install that was alive; delete one"));
        handOvers.update(from, keep).forEach(this::release);
        out.persist(handOvers.record(from));
        rivals.heard(from, h.yielded());
        syncRivals(List.of());
        if (awaited) {
            cooldowns.handedOver(from, Succession.others(h.awaited(), spoken), self).forEach(out::persist);
        }
        for (PeerId d : spoken) { // its word for d's pods: what we own here now holds what it listed
            cooldowns.spokenFor(d, r -> Succession.covered(r, space.ranges()), self).forEach(out::persist);
        }
        for (PeerId d : Succession.superseded(from, spoken, handOvers.keptFor(), up)) {
            forgetKept(d, keep); // its node's current word, which lists every pod the node runs (seed 4349)
        }
    }

    /** Driver, unique names: take over this node's older install, its live pods' addresses held in the step. */
    private void succeed(Input.Succeed s) {
        if (!readyForOperator(s.id())) {
            return;
        }
        Result no = Succession.refusal(self, ring, s.predecessor(), sync.caughtUp());
        if (no != null) {
            out.reply(s.id(), no);
            return;
        }
        PeerId d = s.predecessor();
        boolean gone = ring.isTombstoned(d);
        if (removedByMe.add(d)) {
            out.persist(new Record.Removal(d)); // before the takeover: what it takes then waits for no hand-over
        }
        int[] taken = gone && ring.rangesOwnedBy(d).isEmpty() ? new int[2] : takeOverInstall(d, false);
        Succession.Imported imported = Succession.importHolds(s.liveHolds(), space, universe, fenced, out::persist);
        imported.clashes().forEach(c -> alarm(Alarm.Kind.CONFLICT, "succession:" + c, "succeeding " + d + ": " + c
                + ": two pods share an address; delete one of them"));
        out.reply(s.id(), new Result.Done(imported.describe(d, gone, taken)));
    }

    /** Driver, at a start from a data folder: the node's live pods hold their addresses, and only they. */
    private void readmit(Input.Readmit rm) {
        if (ring == null) {
            out.reply(rm.id(), new Result.TryLater(forming.status()));
            return;
        }
        List<Attachment> stale = Holders.stale(rm.liveHolds(), space, fenced, handOvers);
        stale.forEach(this::release);
        Succession.Imported in = Succession.importHolds(rm.liveHolds(), space, universe, fenced, out::persist);
        in.clashes().forEach(c -> alarm(Alarm.Kind.CONFLICT, "readmit:" + c, c + ": two pods share an address;"
                + " delete one of them"));
        out.reply(rm.id(), new Result.Done(Restore.describe(stale.size(), in)));
    }

    /** A piece heard (or none, each tick): proof that this folder is an older backup fences the peer (stored). */
    private void checkRestored(RingPiece piece) { // raised once per run, by key
        if (ring != null && !removed && restore.alarming(ring, piece, self, out::persist)) {
            alarm(Alarm.Kind.RESTORED_FROM_BACKUP, "restored:" + self, restore.fenced(self)); // pending: next tick
        }
    }

    private void leave(Input.Leave l) {
        if (!readyForOperator(l.id())) {
            return;
        }
        if (recovering()) { // its folder may be older than ranges it gave: heirs would outrank the grants
            out.reply(l.id(), new Result.TryLater(Restore.WAITING));
            return;
        }
        Result refused = Leaving.refusal(space, now, handOvers.keptFor(), fenced.size(), l.force());
        if (refused != null) {
            out.reply(l.id(), refused);
            return;
        }
        List<PeerId> heirs = Leaving.heirs(ring, up);
        List<Range> owned = ring.rangesOwnedBy(self);
        if (owned.isEmpty()) {
            out.reply(l.id(), new Result.Done("this peer owns nothing: nothing to hand over"));
            return;
        }
        if (heirs.isEmpty()) {
            out.reply(l.id(), new Refused(Why.UNSAFE, "no live peer is reachable to take this peer's ranges"));
            return;
        }
        for (Hold h : space.holds()) {
            release(h.attachment());
        }
        for (Attachment a : new ArrayList<>(fenced.keySet())) {
            release(a);
        }
        var edit = ring.edit(self, r -> r.size());
        int next = entropy.nextInt(heirs.size());
        for (Range r : owned) {
            space.remove(r);
            edit.give(r, heirs.get(next++ % heirs.size()));
        }
        Merge m = edit.commit();
        adopt(m);
        RingPiece piece = ring.delta(m.changedTokens());
        for (PeerId h : heirs) {
            out.send(h, new Message.Gossip(piece, ring.digest(), false));
        }
        out.reply(l.id(), new Result.Done("handed " + owned.size() + " ranges to " + heirs.size() + " peers"));
    }

    // ------------------------------------------------------------------ messages

    private void receive(PeerId from, Message m) {
        if (from.equals(self)) {
            return;
        }
        if (m instanceof Message.Digest d) {
            forming.heard(from, d.cluster() != null);
            if (ring == null && d.cluster() == null) {
                formIfReady();
            } else {
                foreign(from, gossiper.digest(from, d, ring, now, out));
            }
        } else if (m instanceof Message.SegmentDigests sd) {
            foreign(from, gossiper.segments(from, sd, ring, now, out));
        } else if (m instanceof Message.Gossip g) {
            checkRestored(g.piece());
            gossip(from, g, g.piece());
        } else if (m instanceof Message.SegmentEntries se) {
            checkRestored(se.piece());
            gossip(from, se, se.piece());
        } else if (m instanceof Message.SpaceRequest r) {
            spaceRequest(from, r);
        } else if (m instanceof Message.SpaceGrant g) {
            checkRestored(g.change());
            asks.remove(g.ask());
            gossip(from, new Message.Gossip(g.change(), 0, false), g.change());
            triedDonors.clear();
            retryPending();
        } else if (m instanceof Message.HandOver h) {
            if (ring != null && !handOvers.moot(from, h, cooldowns.awaited().contains(from))) {
                handOver(from, h);
            }
        } else if (m instanceof Message.GapQuery || m instanceof Message.GapAnswer) {
            gaps.receive(from, m, ring, self, fenced.values(), out, this::claimGap);
        } else if (m instanceof Message.SpaceDenied d) {
            Ask a = asks.get(d.ask());
            if (d.inUse() && a != null && a.key().exact()) {
                asks.remove(d.ask());
                refusePending(a.key(), d.reason());
            } else {
                askFailed(d.ask());
            }
        } else {
            paxosMessage(from, m);
        }
    }

    private void raise(OwnershipNews.News news) {
        if (news != null) {
            alarm(news.kind(), news.key(), news.message());
        }
    }

    private void alarm(Alarm.Kind kind, String key, String message) {
        if (!raised.add(key)) {
            return;
        }
        Alarm a = new Alarm(now, kind, message);
        alarms.addLast(a);
        if (alarms.size() > MAX_ALARMS) {
            alarms.removeFirst();
        }
        out.alarms.add(a);
    }

    // ------------------------------------------------------------------ views

    public PeerId self() {
        return self;
    }

    /** The configuration this peer runs with (recovery needs the same). */
    public CoreConfig config() {
        return config;
    }

    /** The ring as this peer knows it, or null while forming. */
    public Ring ring() {
        return ring;
    }

    /** Read-only view of the space, for tests and status. */
    public Space space() {
        return space;
    }

    /**
     * Every record that describes this peer's durable state as it is in memory now, keyed as the driver
     * stores them: what a store holds after the driver carried out every output so far (checked by the
     * simulator, and usable to write a compacted copy of a store).
     */
    public List<Record> snapshot() {
        if (fresh) {
            return List.of(); // nothing is written before the first step
        }
        List<Record.Removal> removals = new ArrayList<>();
        removedByMe.forEach(p -> removals.add(new Record.Removal(p, forcedByMe.contains(p))));
        return Snapshot.of(self, ring, space.holds(), fenced, cooldowns, removals, grants.records(),
                handOvers.records(), forming.acceptorRecord(), restore.record());
    }

    /** Whether this peer may hand out addresses now: it has a ring, is not fenced, and is past its restart's wait. */
    public boolean handingOut() {
        return ring != null && notReady() == null && !recovering();
    }

    public Status status() {
        Status.Phase phase = removed ? Status.Phase.REMOVED : restore.detected() ? Status.Phase.RESTORED : ring == null
                ? Status.Phase.FORMING : recovering() ? Status.Phase.RECOVERING : Status.Phase.READY;
        List<Hold> lost = new ArrayList<>();
        fenced.forEach((a, addr) -> lost.add(new Hold(a, addr)));
        return new Status(self, phase, ring == null ? forming.status() : "", ring, space.ranges(), space.size(),
                space.freeIn(universe), space.heldCount(), lost, pending.size(), List.copyOf(up), List.copyOf(alarms));
    }

    // ------------------------------------------------------------------ recovery hooks

    void restoreRing(Ring r, List<Record.Cooldown> cools, List<Record.Removal> removals, Record.Restored proven) {
        ring = r;
        cooldowns.restore(cools);
        for (Record.Removal rm : removals) {
            removedByMe.add(rm.peer());
            if (rm.forced()) {
                forcedByMe.add(rm.peer());
            }
        }
        restore.recovered(proven); // it may be an older backup: it waits to compare rings first; a proven one stays fenced
        out = new Output.Builder();
        syncOwnership();
        out = null;
    }

    void restoreHold(Hold h) {
        Space.ClaimResult r = space.restore(h.attachment(), h.address());
        if (r != Space.ClaimResult.TAKEN && r != Space.ClaimResult.ALREADY_YOURS) {
            fenced.put(h.attachment(), h.address());
        }
    }

    void restoreKept(Record.Kept k) {
        handOvers.restore(k);
    }

    void restoreGrant(Record.Grant g) {
        grants.restore(g);
    }

    void restoreAcceptor(Record.Acceptor a) {
        forming.restore(a);
    }

    static void checkPiece(RingPiece piece) throws CorruptStateException {
        Ring r;
        try {
            r = Ring.of(piece);
        } catch (BadRingException e) {
            throw new CorruptStateException("the stored ring is damaged: " + e.getMessage());
        }
        if (!r.shapeViolations().isEmpty()) {
            throw new CorruptStateException("the stored ring is damaged: " + r.shapeViolations());
        }
    }

    static Peer blank(CoreConfig config, PeerId self, long seed) {
        return new Peer(config, self, seed, false);
    }
}
