package dev.weft.sim;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CorruptStateException;
import dev.weft.core.node.CoreConfig;
import dev.weft.core.node.Envelope;
import dev.weft.core.node.Input;
import dev.weft.core.node.Message;
import dev.weft.core.node.Output;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Record;
import dev.weft.core.node.Reply;
import dev.weft.core.node.Result;
import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Conflict;
import dev.weft.core.ring.Gap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A whole weft cluster in one thread: real {@link Peer} state machines, driven exactly as the daemon drives
 * them (persist, then send, then reply), over a simulated network with latency, loss, duplication,
 * reordering and partitions, with crashes at every persistence point and restarts from exactly what was
 * made durable. Virtual time, one seed: every run can be replayed.
 */
final class Simulation {
    static final long TICK = 100;
    static final int MAX_ROUNDS = 40;
    /**
     * {@code -Dweft.sim.trace=ADDRESS} (as a number) prints every durable change of ring tokens up to 64 below
     * it and every hold of it, with crashes, restarts and operator actions: enough to debug a seed.
     */
    static final long TRACE = Long.getLong("weft.sim.trace", -1);
    static final long DEADLINE = 5_000;
    static final long ASK_TIMEOUT = 1_000;

    private final SimConfig cfg;
    private final Entropy rnd;
    private final Oracle oracle;
    private final Workload workload;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final TreeMap<String, SimNode> nodes = new TreeMap<>();
    /** Cut links ("a>b": a's messages do not reach b), counted: partitions may overlap. */
    private final java.util.Map<String, Integer> cut = new java.util.HashMap<>();
    private final Set<String> connected = new HashSet<>();
    private final List<PeerId> lostInstalls = new ArrayList<>();
    /** Which node removed which install, for the oracle's check that no range stays with a tombstone. */
    private final java.util.Map<PeerId, PeerId> removers = new java.util.HashMap<>();
    private final Stats stats = new Stats();
    /** Live nodes, rings and digests counted as they change: whether all agree costs O(1) per event. */
    private final RingCensus census = new RingCensus();
    /** What each sent message costs on the wire; by default nothing is sized (see peer-gossip's WireScaleTest). */
    private java.util.function.ToLongBiFunction<SimNode, Envelope> wire = (from, e) -> 0;
    /** Runs after every event, when set (the census test compares with a walk of every node). */
    private Runnable afterEvent;
    /** The peers' knobs; the simulator's own by default, production's for the scale harness. */
    private java.util.function.Function<Bootstrap, CoreConfig> configs = this::simulatorConfig;
    /** Who may link with whom; everyone with everyone unless a scale run bounds each peer's view. */
    private java.util.Map<String, java.util.List<String>> view;
    private long now;
    private long seq;
    /** Times at which all live rings became equal, when watched (scale runs): costly, so off by default. */
    private boolean watchAgreement;
    private final java.util.TreeSet<Long> agreements = new java.util.TreeSet<>();
    private boolean agreedNow;
    private long nextAgreementCheck;

    void watchAgreement(boolean on) {
        watchAgreement = on;
    }

    /** The first time at or after {@code t} at which all live rings were equal (and stayed so to the end). */
    long firstAgreedAfter(long t) {
        Long at = agreements.ceiling(t);
        return at == null ? now : at;
    }

    /**
     * Whether a fault of this run explains alarm {@code kind} on {@code n}. The list (also in the design
     * notes): REMOVED_WHILE_ALIVE on an install the operator removed while it ran; RANGE_LOST in a run where
     * a running install was removed (on it, and on its remover), and on a peer that took ranges in a forced
     * removal;
     * CONFLICT where one install was removed through two peers, or removed while it ran; both also where the
     * operator settled a conflict (a rivalry decided otherwise, or two settlements at once), or where a data
     * folder was restored from an older backup (the restored install forgot its own changes);
     * RESTORED_FROM_BACKUP on an install restored so; FOREIGN_RING never (this simulator never lets two
     * clusters form). Nothing else explains an alarm.
     */
    boolean explains(SimNode n, dev.weft.core.node.Alarm.Kind kind) {
        return switch (kind) {
            case REMOVED_WHILE_ALIVE -> removedWhileAlive.contains(n.id);
            // Also on a peer whose forced takeover (of a stale view) yields to a change it learned only later,
            // and on a remover of a running install whose changes, made before it heard of its removal, outrank
            // the takeover until taken again.
            case RANGE_LOST -> !removedWhileAlive.isEmpty() || forcedRemovers.contains(n.id) || successionRaced()
                    || settlements > 0 || !backups.restored.isEmpty();
            case CONFLICT -> doubleTakeovers() || !removedWhileAlive.isEmpty() || settlements > 0
                    || !backups.restored.isEmpty();
            case FOREIGN_RING -> false;
            case RESTORED_FROM_BACKUP -> backups.restored.contains(n.id);
        };
    }

    /** One install taken over twice: removed through two peers, or removed and succeeded. */
    boolean doubleTakeovers() {
        return doubleRemovals > 0 || successionRaced();
    }

    /**
     * Some install was both succeeded and removed by the operator (a coordinator's reclaim racing it), or
     * succeeded by two installs (a successor that lost its folder before its takeover spread).
     */
    private boolean successionRaced() {
        for (java.util.Map.Entry<PeerId, Set<PeerId>> e : succeeded.entrySet()) {
            if (removalsSent.contains(e.getKey().toString()) || e.getValue().size() > 1) {
                return true;
            }
        }
        return false;
    }

    /** Data folders of consensus peers wiped after the ring formed (for the soak's figures). */
    long consensusWipes;
        /** Successions done, and the live pods they carried over (for the soak's figures). */
    long successions;
    long podsCarried;
    /** Installs a succession was sent for, and installs the operator sent a removal for. */
    private final java.util.Map<PeerId, Set<PeerId>> succeeded = new java.util.HashMap<>();
    private final Set<String> removalsSent = new HashSet<>();

    /** Installs the operator removed while they ran (cut off from their remover), and double removals. */
    final Set<PeerId> removedWhileAlive = new HashSet<>();
    /** Peers that removed an install by force (the operator said its host was gone). */
    final Set<PeerId> forcedRemovers = new HashSet<>();
    int doubleRemovals;
    private final java.util.Map<String, Set<String>> removedVia = new java.util.HashMap<>();

    /** The operator's removal of {@code install} (name or name#uid) through {@code actor} was done. */
    void onRemoved(SimNode actor, String install) {
        for (SimNode n : nodes.values()) {
            // Up, or down but coming back from its disk as the same install: it runs on after its removal.
            if (!n.dead && (n.id.toString().equals(install) || n.name.equals(install))) {
                removedWhileAlive.add(n.id);
            }
        }
        Set<String> via = removedVia.computeIfAbsent(install, k -> new HashSet<>());
        if (via.add(actor.name) && via.size() > 1) {
            doubleRemovals++;
        }
    }

    /**
     * Some data folder was wiped, or a node died for good, in this run: what only it knew may be gone (see
     * Oracle#checkConverged).
     */
    boolean wiped;

    /** When a peer last changed the ring itself (not by merging what it heard), and how many times. */
    long lastOriginChange;
    long originChanges;
    private boolean chaos;
    private double loss;
    private double duplicate;
    private int joined;
    private boolean formedOnce;
    private long livenessRounds;
    /** The links of the partition loop's current partition (pair cuts and isolations run beside it). */
    private Set<String> lastPartition;

    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** Message and byte counts, for the scale table. */
    static final class Stats {
        long messages;
        long bytes;
    }

    Simulation(SimConfig cfg) {
        this.cfg = cfg;
        this.rnd = new Entropy(cfg.seed());
        this.oracle = new Oracle(this);
        this.workload = new Workload(this, new Entropy(cfg.seed() ^ 0x5DEECE66DL), oracle);
        this.loss = cfg.loss();
        this.duplicate = cfg.duplicate();
        this.backups = new Backups(cfg.seed());
    }

    long now() {
        return now;
    }

    SimConfig config() {
        return cfg;
    }

    Stats stats() {
        return stats;
    }

    /** Sizes every message sent (and may watch them): {@code bytes(from, envelope)} is added to the stats. */
    void sizeMessagesWith(java.util.function.ToLongBiFunction<SimNode, Envelope> bytes) {
        wire = bytes;
    }

    void afterEachEvent(Runnable check) {
        afterEvent = check;
    }

    /** Peers built from now on get these knobs (set before {@link #start}). */
    void configureWith(java.util.function.Function<Bootstrap, CoreConfig> make) {
        configs = make;
    }

    long oracleChecks() {
        return oracle.checks;
    }

    /** Pods released while fenced just before their node crashed: the hand-overs' documented limit. */
    final Retractions retractions = new Retractions();

    Workload workload() {
        return workload;
    }

    String replayCommand() {
        return "mvn -q -pl allocator-core test -Dtest=SimulationTest#replay -Dweft.sim.replay=" + cfg.seed()
                + " -Dweft.sim.peers=" + cfg.peers() + (cfg.bug() == SimConfig.Bug.NONE ? "" : " -Dweft.sim.bug=" + cfg.bug());
    }

    CoreConfig coreConfig(Bootstrap bootstrap) {
        return configs.apply(bootstrap);
    }

    private CoreConfig simulatorConfig(Bootstrap bootstrap) {
        return new CoreConfig(cfg.universe(), bootstrap, 500, 3, ASK_TIMEOUT, DEADLINE, 1_000, 4_000, 3_000, 500)
                .withUniqueNames(cfg.uniqueNames());
    }

    // ------------------------------------------------------------------ the whole run

    /** Bootstrap, chaos, heal, converge, check. Returns the rounds it took to converge after healing. */
    int run() {
        start();
        chaos = true;
        scheduleWorkload();
        scheduleFaults();
        runUntil(() -> false, cfg.chaosMs());
        heal();
        int rounds = roundsToConverge();
        operatorCleansUp();
        // Let stragglers finish and free counts settle (a small difference is reported once the range's count
        // has been quiet for 4 s), then the rings must agree again, this time with true free counts.
        runFor(6_000);
        roundsToConverge();
        workload.checkLiveness(DEADLINE + 3_000);
        oracle.checkConverged(liveNodes());
        for (SimNode n : liveNodes()) {
            oracle.checkEveryHoldIsWanted(n, workload);
        }
        probeEveryPeerCanAllocate();
        oracle.checkNothingLeftWithTombstones(liveNodes(), removers);
        oracle.checkNothingStranded(liveNodes(), gapRefusals);
        return rounds;
    }

    /**
     * Liveness after healing: while the live peers together have a free address, a new pod on any of them
     * gets one (from its own space, or by asking a peer), and never waits past its deadline.
     */
    private void probeEveryPeerCanAllocate() {
        int probe = 0;
        for (SimNode n : liveNodes()) {
            if (n.peer.status().phase() != dev.weft.core.node.Status.Phase.READY) {
                continue;
            }
            long free = 0;
            for (SimNode m : liveNodes()) {
                // Usable now: ranges waiting for a removed install that never came back are not.
                free += m.peer.space().freeIn(cfg.universe().range(), m.clock(now));
            }
            if (free == 0) {
                return;
            }
            // Give the previous probe's effect on free counts a round to reach the ring.
            runFor(1_000);
            dev.weft.core.space.Attachment pod = new dev.weft.core.space.Attachment("probe-" + probe++, "eth0");
            Result r = ask(n.name, id -> new Input.Allocate(id, pod, null));
            if (!(r instanceof Result.Assigned)) {
                StringBuilder who = new StringBuilder();
                for (SimNode m : liveNodes()) {
                    long f = m.peer.space().freeIn(cfg.universe().range());
                    if (f > 0) {
                        who.append(" ").append(m.name).append(" has ").append(f).append(" free (")
                                .append(m.peer.space().freeIn(cfg.universe().range(), m.clock(now))).append(" usable now, ")
                                .append(n.peer.ring().freeByOwner().getOrDefault(m.id, 0L)).append(" per ")
                                .append(n.name).append("'s ring, ").append(m.peer.status().phase()).append(")");
                    }
                }
                throw oracle.fail("LIVENESS: " + n.name + " answered " + r + " to a new pod while live peers had "
                        + free + " free addresses:" + who);
            }
        }
    }

    /** Gossip rounds (of 500 ms) until every live ring is the same; fails past {@link #MAX_ROUNDS}. */
    int roundsToConverge() {
        int rounds = 0;
        while (!converged()) {
            if (++rounds > MAX_ROUNDS) {
                oracle.checkConverged(liveNodes());
                throw oracle.fail("no convergence within " + MAX_ROUNDS + " gossip rounds after healing");
            }
            runFor(500);
        }
        return rounds;
    }

    void start() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cfg.peers(); i++) {
            names.add(String.format(cfg.peers() > 100 ? "p%04d" : "p%02d", i));
        }
        for (int i = 0; i < names.size(); i++) {
            Bootstrap b = switch (cfg.mode()) {
                case SEEDS -> new Bootstrap.Seeds(names);
                case CONSENSUS -> new Bootstrap.Consensus(names.size());
                case SEEDS_AND_OBSERVERS -> i < (names.size() + 1) / 2
                        ? new Bootstrap.Seeds(names.subList(0, (names.size() + 1) / 2)) : new Bootstrap.Observer();
            };
            addNode(names.get(i), b);
        }
        refreshAll();
    }

    /**
     * A cluster brought up as a real one is: the first {@code seeds} of {@code cfg.peers()} found it from their
     * seed list; the others join as observers (owning nothing until they ask), one every {@code joinGap} ms.
     * With {@code links > 0} each peer links only with the seeds and with about {@code links} random others
     * (a bounded view), otherwise with every peer.
     */
    void startJoining(int seeds, int links, long joinGap) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cfg.peers(); i++) {
            names.add(String.format("p%04d", i));
        }
        List<String> seedNames = names.subList(0, Math.min(seeds, names.size()));
        if (links > 0) {
            view = new java.util.HashMap<>();
            Entropy pick = new Entropy(cfg.seed() * 131 + 3);
            for (String a : names) {
                for (String s : seedNames) {
                    link(a, s);
                }
                for (int k = 0; k < links / 2; k++) {
                    link(a, names.get(pick.nextInt(names.size())));
                }
            }
        }
        for (String s : seedNames) {
            addNode(s, new Bootstrap.Seeds(seedNames));
        }
        refreshAll();
        for (int i = seedNames.size(); i < names.size(); i++) {
            String name = names.get(i);
            at(joinGap * (i - seedNames.size() + 1), () -> {
                addNode(name, new Bootstrap.Observer());
                refreshNode(nodes.get(name));
            });
        }
    }

    private void link(String a, String b) {
        if (!a.equals(b)) {
            List<String> va = view.computeIfAbsent(a, k -> new ArrayList<>());
            if (!va.contains(b)) {
                va.add(b);
                view.computeIfAbsent(b, k -> new ArrayList<>()).add(a);
            }
        }
    }

    private void addNode(String name, Bootstrap b) {
        SimNode n = new SimNode(name, new PeerId(name, rnd.nextLong()));
        n.bootstrap = b;
        nodes.put(name, n);
        n.peer = Peer.fresh(coreConfig(b), n.id, rnd.nextLong());
        census.update(n);
        scheduleTick(n);
    }

    void runFor(long ms) {
        runUntil(() -> false, ms);
    }

    /** Runs events until {@code done} holds or {@code ms} pass; returns whether {@code done} held. */
    boolean runUntil(BooleanSupplier done, long ms) {
        long end = now + ms;
        while (!done.getAsBoolean()) {
            Event e = queue.peek();
            if (e == null || e.time > end) {
                now = end;
                return done.getAsBoolean();
            }
            queue.poll();
            now = Math.max(now, e.time);
            e.action.run();
            if (afterEvent != null) {
                afterEvent.run();
            }
            if (watchAgreement && now >= nextAgreementCheck) {
                nextAgreementCheck = now + 50;
                boolean agreed = converged();
                if (agreed && !agreedNow) {
                    agreements.add(now);
                }
                agreedNow = agreed;
            }
        }
        return true;
    }

    /** Runs {@code action} a moment later, as its own event (the runtime's follow-up to a reply). */
    void soon(Runnable action) {
        at(1 + rnd.nextLong(5), action);
    }

    /** Runs {@code action} {@code delay} ms from now, as its own event. */
    void at(long delay, Runnable action) {
        queue.add(new Event(now + delay, seq++, action));
    }

    List<SimNode> liveNodes() {
        List<SimNode> out = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (n.up()) {
                out.add(n);
            }
        }
        return out;
    }

    SimNode node(String name) {
        return nodes.get(name);
    }

    /** Every live node has a ring and all those rings are equal (kept by the census, not walked). */
    boolean converged() {
        return census.converged();
    }

    /** Every node that is not gone for good has had a ring: the bootstrap is over. */
    private boolean everyoneFormed() {
        if (!census.allFormed()) {
            return false; // the common case while forming, answered without a walk
        }
        for (SimNode n : nodes.values()) {
            if (!n.dead && (!n.up() || n.peer.ring() == null)) {
                return false;
            }
        }
        return true;
    }

    boolean allFormed() {
        return census.allFormed();
    }

    // ------------------------------------------------------------------ driving one peer

    /** One step of {@code n}, carried out as the daemon will: persist, then send, then reply. */
    void step(SimNode n, Input input) {
        stepOnce(n, input);
        census.update(n);
    }

    private void stepOnce(SimNode n, Input input) {
        if (!n.up()) {
            return;
        }
        boolean releases = input instanceof Input.Release || input instanceof Input.ReleaseContainer
                || input instanceof Input.Gc;
        Set<dev.weft.core.space.Attachment> fencedBefore = releases ? Retractions.fenced(n) : Set.of();
        Output o = n.peer.handle(n.clock(now), input);
        if (releases && !fencedBefore.isEmpty()) {
            retractions.released(n, fencedBefore, Retractions.fenced(n), now);
        }
        oracle.importing = input instanceof Input.Succeed s ? s.liveHolds()
                : input instanceof Input.Readmit rm ? rm.liveHolds() : null;
        int crashAt = -1;
        // Steps of the operator's gap reclaims draw from the gap watch's stream, as their messages do.
        Entropy draw = input instanceof Input.ReclaimGap || input instanceof Input.Receive m
                && (m.message() instanceof Message.GapQuery || m.message() instanceof Message.GapAnswer) ? gapSide : rnd;
        if (chaos && cfg.crashRate() > 0 && !o.isEmpty()
                && draw.nextLong(1_000_000) < cfg.crashRate() * (sensitive(n, input, o) ? 25 : 1) * 1_000_000) {
            crashAt = draw.nextInt(3); // 0: before persisting, 1: after persisting, 2: after sending
        }
        if (crashAt == 0) {
            crash(n);
            return;
        }
        if (cfg.bug() == SimConfig.Bug.SEND_BEFORE_PERSIST) {
            send(n, o);
            if (crashAt == 1) {
                crash(n);
                return;
            }
            persist(n, o);
        } else {
            persist(n, o);
            if (crashAt == 1) {
                crash(n);
                return;
            }
            send(n, o);
        }
        oracle.importing = null;
        if (input instanceof Input.RemovePeer || input instanceof Input.Leave || input instanceof Input.Succeed
                || answersPaxos(o)) {
            // Rare, sensitive steps: what they changed must be on disk before anyone hears of it.
            oracle.checkDiskMatchesMemory(n);
        }
        for (dev.weft.core.node.Alarm al : o.alarms()) {
            if (TRACE >= 0) {
                System.out.println("t=" + now + " alarm on " + n.id + ": " + al.kind());
            }
            oracle.onAlarm(n, al);
            if (al.kind() == dev.weft.core.node.Alarm.Kind.RESTORED_FROM_BACKUP) {
                replaceRestored(n);
            }
        }
        // Ownership changes with the ring, and with time as cool-downs end (seen at a tick within 1 s).
        if (changesRing(o) || input instanceof Input.Tick && now - n.soleOwnerCheckedAt >= 1_000) {
            n.soleOwnerCheckedAt = now;
            oracle.checkSoleOwner(n, n.clock(now));
        }
        if (crashAt == 2) {
            crash(n);
            return;
        }
        if (!(input instanceof Input.Receive r && (r.message() instanceof Message.Gossip
                || r.message() instanceof Message.SpaceGrant))) {
            for (Record rec : o.persist()) {
                if (rec instanceof Record.RingEntry) {
                    lastOriginChange = now;
                    originChanges++;
                    break;
                }
            }
        }
        for (Reply r : o.replies()) {
            workload.onReply(n, r);
        }
        if (n.up() && n.peer.ring() != null && !formedOnce && everyoneFormed()) {
            formedOnce = true;
        }
    }

    /**
     * Sensitive steps are where a crash does most harm, so they crash far more often (in the spirit of
     * FoundationDB's BUGGIFY): uniform crash points would almost never land in those windows. They are the
     * steps that hand space over (grants, leaves), take it (removals, takeovers of late-found entries),
     * answer for Paxos (between promising or accepting and the answer leaving), and the first step of a peer
     * just recovered from disk.
     */
    private static boolean sensitive(SimNode n, Input input, Output o) {
        boolean first = n.justRecovered;
        n.justRecovered = false;
        if (first || input instanceof Input.RemovePeer || input instanceof Input.Leave || input instanceof Input.Succeed) {
            return true;
        }
        for (Envelope e : o.send()) {
            if (e.message() instanceof Message.SpaceGrant || e.message() instanceof Message.Promise
                    || e.message() instanceof Message.Accepted) {
                return true;
            }
        }
        for (Record r : o.persist()) {
            if (r instanceof Record.Tombstone || r instanceof Record.Removal || r instanceof Record.Cooldown) {
                return true;
            }
        }
        return false;
    }

    private static boolean answersPaxos(Output o) {
        for (Envelope e : o.send()) {
            if (e.message() instanceof Message.Promise || e.message() instanceof Message.Accepted) {
                return true;
            }
        }
        return false;
    }

    private static boolean changesRing(Output o) {
        for (Record r : o.persist()) {
            if (r instanceof Record.RingEntry || r instanceof Record.Tombstone || r instanceof Record.Cooldown) {
                return true;
            }
        }
        return false;
    }

    private void persist(SimNode n, Output o) {
        for (Record r : o.persist()) {
            if (cfg.bug() == SimConfig.Bug.FORGET_HOLDS && r instanceof Record.Held) {
                continue;
            }
            if (TRACE >= 0 && (r instanceof Record.RingEntry e && e.entry().token() <= TRACE
                    && e.entry().token() > TRACE - 64 || r instanceof Record.Held h && h.hold().address() == TRACE)) {
                System.out.println("t=" + now + " " + n.name + "(" + n.id + ") persists " + r);
            }
            n.store.write(r);
            oracle.onPersist(n, r);
        }
    }

    private void send(SimNode from, Output o) {
        for (Envelope e : o.send()) {
            stats.messages++;
            stats.bytes += wire.applyAsLong(from, e);
            String link = from.name + ">" + e.to().name();
            // The operator's gap questions draw from the gap watch's stream: a run keeps its paths when they come.
            Entropy r = e.message() instanceof Message.GapQuery || e.message() instanceof Message.GapAnswer ? gapSide : rnd;
            if (cut.containsKey(link) || (loss > 0 && r.nextLong(1_000_000) < loss * 1_000_000)) {
                continue;
            }
            deliverLater(from.id, e, latency(r));
            if (duplicate > 0 && r.nextLong(1_000_000) < duplicate * 1_000_000) {
                deliverLater(from.id, e, 1 + r.nextLong(cfg.maxLatency() * 2));
            }
        }
    }

    /**
     * How long one message takes. Now and then, until the network heals, a message is held for seconds to a
     * minute (a stalled connection's buffer), and is delivered even if its sender was removed or restarted
     * meanwhile. A healed network stalls nothing new, as it loses and duplicates nothing (soak seed 5256: a
     * space request held 55 s after the heal failed the liveness probe). One draw either way keeps the paths.
     */
    long latency() {
        return latency(rnd);
    }

    private long latency(Entropy r) {
        boolean held = r.nextInt(500) == 0 && chaos;
        return held ? 2_000 + r.nextLong(60_000) : 1 + r.nextLong(cfg.maxLatency());
    }

    private void deliverLater(PeerId from, Envelope e, long delay) {
        at(delay, () -> {
            SimNode to = nodes.get(e.to().name());
            if (to == null || !to.up() || !to.id.equals(e.to()) || cut.containsKey(from.name() + ">" + to.name)) {
                return;
            }
            step(to, new Input.Receive(from, e.message()));
        });
    }

    private void scheduleTick(SimNode n) {
        int inc = n.incarnation;
        at(TICK / 2 + rnd.nextLong(TICK), () -> {
            if (n.up() && n.incarnation == inc) {
                step(n, new Input.Tick());
                if (n.up() && n.incarnation == inc) {
                    scheduleTick(n);
                }
            }
        });
    }

    // ------------------------------------------------------------------ connections

    private static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    /** Connected: both up and not cut both ways (a one-way cut goes unnoticed by the transport). */
    private boolean shouldConnect(SimNode a, SimNode b) {
        return a.up() && b.up() && !(cut.containsKey(a.name + ">" + b.name) && cut.containsKey(b.name + ">" + a.name));
    }

    void refreshAll() {
        if (view != null) {
            nodes.values().forEach(this::refreshNode);
            return;
        }
        List<SimNode> all = new ArrayList<>(nodes.values());
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                refreshPair(all.get(i), all.get(j));
            }
        }
    }

    private void refreshNode(SimNode n) {
        if (view != null) {
            for (String name : view.getOrDefault(n.name, List.of())) {
                SimNode other = nodes.get(name);
                if (other != null) {
                    refreshPair(n, other);
                }
            }
            return;
        }
        for (SimNode other : nodes.values()) {
            if (other != n) {
                refreshPair(n, other);
            }
        }
    }

    private void refreshPair(SimNode a, SimNode b) {
        String key = pair(a.name, b.name);
        boolean want = shouldConnect(a, b);
        if (want == connected.contains(key)) {
            return;
        }
        if (want) {
            connected.add(key);
            notifyLink(a, b, true, 1 + rnd.nextLong(20));
            notifyLink(b, a, true, 1 + rnd.nextLong(20));
        } else {
            connected.remove(key);
            notifyLink(a, b, false, 50 + rnd.nextLong(500));
            notifyLink(b, a, false, 50 + rnd.nextLong(500));
        }
    }

    private void notifyLink(SimNode at, SimNode other, boolean up, long delay) {
        int inc = at.incarnation;
        PeerId otherId = other.id;
        at(delay, () -> {
            // A connection event names the install at the other end: one for an install that has since been
            // replaced (a restart without data) is stale and never reaches the peer.
            if (at.up() && at.incarnation == inc && connected.contains(pair(at.name, other.name)) == up
                    && (!up || other.id.equals(otherId))) {
                step(at, up ? new Input.PeerUp(otherId) : new Input.PeerDown(otherId));
            }
        });
    }

    // ------------------------------------------------------------------ faults

    void crash(SimNode n) {
        if (!n.up()) {
            return;
        }
        if (TRACE >= 0) {
            System.out.println("t=" + now + " crash " + n.name + " " + n.id);
        }
        retractions.crashed(n, now);
        n.peer = null;
        census.update(n);
        n.incarnation++;
        oracle.onDown(n);
        workload.onCrash(n);
        refreshNode(n);
        if (chaos && !n.dead) {
            long downFor = rnd.nextInt(3) == 0 ? 5 + rnd.nextLong(50) : 200 + rnd.nextLong(3_000);
            at(downFor, () -> restart(n, wipeAllowed(n) && rnd.nextLong(1000) < cfg.dataLossRate() * 1000));
        }
    }

    /**
     * Data folders are wiped only once the bootstrap is over, and never the last folder that knows the
     * cluster among the peers that could found a new one (every seed, or every consensus peer): those that all
     * forgot the cluster at once found a new one. That is the modes' known limit, documented for operators. A
     * consensus peer's wipe is otherwise allowed: founding needs every one of the N peers, so a single one
     * that still knows the ring stops a second founding (design notes, "Bootstrap"). And never the last live
     * holder of the ring, whatever its mode: with every copy gone there is no cluster left to join (soak seed
     * 1128: both seeds had left, then both observers lost their folders).
     */
    /**
     * Whether any data folder (of any node, or a backup copy that may yet be restored) holds a record naming
     * {@code install}: by such a record a successor can find it. A folder restored from an older copy has lost
     * what it stored since, as a lost folder has lost everything.
     */
    boolean namedAnywhere(PeerId install) {
        for (SimNode n : nodes.values()) {
            if (n.store.names(install)) {
                return true;
            }
        }
        return backups.name(install);
    }

    boolean wipeAllowed(SimNode n) {
        if (!formedOnce) {
            return false;
        }
        for (SimNode other : nodes.values()) {
            if (other != n && !other.dead && other.store.containsKey("cluster") && stopsSecondFounding(n, other)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code other}'s copy of the ring keeps {@code n}, wiped, from founding a second cluster. */
    private static boolean stopsSecondFounding(SimNode n, SimNode other) {
        if (n.bootstrap instanceof Bootstrap.Seeds s) {
            return s.names().contains(other.name);
        }
        return !(n.bootstrap instanceof Bootstrap.Consensus) || other.bootstrap instanceof Bootstrap.Consensus;
    }

    void restart(SimNode n, boolean dataLost) {
        if (n.up() || n.dead) {
            return;
        }
        n.incarnation++;
        if (TRACE >= 0) {
            System.out.println("t=" + now + " restart " + n.name + (dataLost ? " WITHOUT its data" : ""));
        }
        if (chaos && rnd.nextInt(3) != 0) {
            // The host's clock as the restarted driver reads it: reset, or jumped forward or back by up to an
            // hour. The core must not end a cool-down early because of it (nor late by more than the jump).
            long reading = n.clock(now);
            long to = switch (rnd.nextInt(3)) {
                case 0 -> rnd.nextLong(1_000);
                case 1 -> reading + rnd.nextLong(3_600_000);
                default -> reading - rnd.nextLong(Math.min(reading, 3_600_000) + 1);
            };
            n.clockOffset = to - now;
        }
        boolean restored = !dataLost && (chaos || backups.restoreDue(n)) && backups.maybeRestore(n);
        if (restored) {
            if (TRACE >= 0) {
                System.out.println("t=" + now + " " + n.name + " comes back from an OLDER copy of its data folder");
            }
            oracle.onRestored(n);
            n.readmitDue = true;
        }
        if (!dataLost && n.store.isEmpty()) {
            // It crashed before its first write: an empty data folder is a new install, as in the daemon.
            dataLost = true;
        }
        if (dataLost) {
            // Unique names: the host's pods mostly outlive its data folder (kept by the client, as libcni's
            // result cache keeps them), and surely when the folder was empty (a crash before the first write).
            boolean podsLive = cfg.uniqueNames() && (n.store.isEmpty() || rnd.nextInt(4) != 0);
            if (!n.store.isEmpty()) {
                wiped = true;
                consensusWipes += n.bootstrap instanceof Bootstrap.Consensus ? 1 : 0;
                if (cfg.uniqueNames()) {
                    n.predecessors.add(n.id);
                    n.succeededHere.clear();
                    n.unknownTries = 0;
                }
            }
            lostInstalls.add(n.id);
            oracle.onFolderLost(n.id);
            if (podsLive) {
                oracle.onDataLost(n);
            } else {
                oracle.onWiped(n);
                workload.onWiped(n);
            }
            n.store.clear();
            n.readmitDue = false; // a new install: no pods of the restored folder's to readmit
            n.id = new PeerId(n.name, rnd.nextLong());
            n.peer = Peer.fresh(coreConfig(n.bootstrap), n.id, rnd.nextLong());
        } else {
            try {
                n.peer = Peer.recover(coreConfig(n.bootstrap), n.records(), rnd.nextLong());
            } catch (CorruptStateException e) {
                throw oracle.fail(n.name + " could not recover from its own records: " + e.getMessage());
            }
            n.justRecovered = true;
            if (restored) {
                succeedAgainAfterRestore(n);
            }
            if (n.readmitDue && !readmit(n)) {
                return; // crashed in that step: it readmits at its next start
            }
            if (!restored) {
                backups.maybeCopy(n);
            }
            if (n.predecessors.isEmpty()) {
                oracle.checkRecovered(n); // else its pods are held again only once it has succeeded
            }
            oracle.checkDiskMatchesMemory(n);
            if (n.peer.ring() != null) {
                oracle.checkSoleOwner(n, n.clock(now));
            }
        }
        census.update(n);
        scheduleTick(n);
        refreshNode(n);
        if (!n.predecessors.isEmpty()) {
            succeedLater(n, n.incarnation);
        } else if (!dataLost) {
            workload.onRestart(n);
        }
    }

    /**
     * As the daemon at a start from its data folder (here only after a restore, so other runs keep their
     * paths): the node's live pods, as libcni's cache lists them, are held again before it serves. Returns
     * false if the node crashed in that step.
     */
    private boolean readmit(SimNode n) {
        java.util.Map<dev.weft.core.space.Attachment, Long> live = workload.liveHolds(n.name);
        long id = workload.send(n, rid -> new Input.Readmit(rid, live));
        Result r = workload.results.get(id);
        if (TRACE >= 0) {
            System.out.println("t=" + now + " " + n.name + " readmits " + live.size() + " pods: " + r);
        }
        if (!n.up()) {
            return false;
        }
        if (!(r instanceof Result.Done)) {
            throw oracle.fail("readmit on " + n.name + " answered " + r);
        }
        n.readmitDue = false;
        return true;
    }

    /**
     * The operator's answer to RESTORED_FROM_BACKUP, as the alarm says: move the data folder aside and restart
     * the node, which joins as a new install (succession carries its pods with unique names; otherwise the
     * node is drained: its pods go). The old install's entries are then taken as any lost install's.
     */
    void replaceRestored(SimNode n) {
        backups.detected++;
        moveAsideLater(n, n.id);
    }

    /**
     * Moving the folder aside loses it as a wipe does, so it waits while {@link #wipeAllowed} forbids a wipe
     * (this folder is the last that knows the cluster among the peers that could found a new one) and another
     * host lives that may yet learn the ring. Soak seed 18705: p01 had lost its folder and not yet rejoined
     * when the restored p00's folder was moved aside, so both seeds had forgotten the cluster, the modes'
     * documented limit the simulator keeps out of (there the core then also founded beside the observer's
     * ring it had heard of, fixed in {@code Forming}).
     */
    private void moveAsideLater(SimNode n, PeerId was) {
        at(300, () -> {
            if (n.dead || !n.up() || !n.id.equals(was)) {
                return;
            }
            if (!wipeAllowed(n) && nodes.values().stream().anyMatch(o -> o != n && !o.dead)) {
                moveAsideLater(n, was);
                return;
            }
            crash(n);
            restart(n, true);
        });
    }

    /**
     * Unique names: a folder restored from a copy older than a succession this install made shows the earlier
     * install as a live owner again, and where no other folder kept the succession (soak seed 11893 of operator
     * changes as deltas: every other folder that had stored it was lost), no ring says otherwise. The daemon
     * succeeds every earlier install its ring shows at every start (`Successor`); the driver did so only after
     * a lost folder, so the earlier install's ranges stayed with an install that no longer ran, and the
     * operator's clean-up, which leaves a running node's earlier install to its successor, left them too
     * (STRANDED). So a restored install succeeds again every earlier install of its name its ring shows live.
     */
    private void succeedAgainAfterRestore(SimNode n) {
        dev.weft.core.ring.Ring ring = n.peer.ring();
        if (!cfg.uniqueNames() || ring == null) {
            return;
        }
        for (PeerId p : ring.owners()) {
            if (p.name().equals(n.name) && !p.equals(n.id) && !ring.isTombstoned(p)) {
                if (!n.predecessors.contains(p)) {
                    n.predecessors.add(p);
                }
                n.succeededHere.remove(p); // succeeded after the copy was made: to do again
                n.unknownTries = 0;
            }
        }
    }

    /**
     * Unique names: once the new install has a ring, its driver succeeds each older install whose folder the
     * host lost, with the pods that outlived it (what the client holds: libcni's cache), before serving them.
     */
    private void succeedLater(SimNode n, int incarnation) {
        at(100 + rnd.nextLong(200), () -> {
            if (n.dead || !n.up() || n.incarnation != incarnation || n.predecessors.isEmpty()) {
                return;
            }
            dev.weft.core.ring.Ring ring = n.peer.ring();
            PeerId d = null;
            if (ring != null) {
                // As the daemon finds them: older installs under its name in the ring (owners or tombstoned).
                Set<PeerId> older = new java.util.TreeSet<>(ring.owners());
                older.addAll(ring.tombstones());
                for (PeerId p : older) {
                    if (d == null && p.name().equals(n.name) && !p.equals(n.id) && !n.succeededHere.contains(p)) {
                        d = p;
                    }
                }
            }
            if (d == null && ring != null && (n.succeededHere.containsAll(n.predecessors) || !chaos && ++n.unknownTries > 20)) {
                // Every older install the ring shows is succeeded, and those the host lost are among them, or
                // never reached the ring (nothing of theirs to take: their own predecessors were in it).
                n.predecessors.clear();
            } else if (d != null) {
                PeerId pred = d;
                succeeded.computeIfAbsent(pred, k -> new HashSet<>()).add(n.id);
                java.util.Map<dev.weft.core.space.Attachment, Long> live = workload.liveHolds(n.name);
                long id = workload.send(n, rid -> new Input.Succeed(rid, pred, live));
                Result r = workload.results.get(id);
                if (TRACE >= 0) {
                    System.out.println("t=" + now + " " + n.name + " succeeds " + pred + " with " + live.size() + " pods: " + r);
                }
                if (r instanceof Result.Refused f && f.why() == Result.Why.FENCED && backups.restored.contains(n.id)
                        && !n.peer.ring().isTombstoned(n.id)) {
                    // Fenced as restored from an older copy: the operator moves the folder aside (replaceRestored),
                    // and the new install succeeds this one and the earlier ones, with the pods.
                    return;
                } else if (r instanceof Result.Refused f && f.why() == Result.Why.FENCED) {
                    // Removed itself meanwhile: the operator drains this node; its pods go.
                    n.predecessors.clear();
                    workload.abandon(n);
                    return;
                } else if (r instanceof Result.Refused f) {
                    throw oracle.fail("succession of " + pred + " on " + n.name + " refused: " + f);
                } else if (r instanceof Result.Done) {
                    successions++;
                    podsCarried += live.size();
                    removers.put(pred, n.id);
                    n.succeededHere.add(pred);
                }
            }
            if (n.predecessors.isEmpty()) {
                oracle.checkRecovered(n); // every pod that outlived the folder holds its address again
                workload.onRestart(n);
            } else if (n.up() && n.incarnation == incarnation) {
                succeedLater(n, incarnation);
            }
        });
    }

    private void scheduleWorkload() {
        if (cfg.opsPerSecond() <= 0) {
            return;
        }
        at(1 + rnd.nextLong(2_000 / cfg.opsPerSecond()), () -> {
            if (chaos) {
                workload.randomOp();
                scheduleWorkload();
            }
        });
    }

    private void scheduleFaults() {
        gapSide = new Entropy(cfg.seed() * 37 + 5);
        if (cfg.partitions()) {
            at(500 + rnd.nextLong(4_000), this::partition);
            at(1_000 + rnd.nextLong(6_000), this::pairCut);
        }
        if (cfg.operatorActions()) {
            at(3_000 + rnd.nextLong(3_000), this::operatorAction);
            at(1_000 + gapSide.nextLong(1_000), this::watchGaps);
        }
        at(TICK * 5, this::livenessRound);
    }

    /** Every 500 ms: requests answered in time, and the cheap checkpoints of the oracle. */
    private void livenessRound() {
        workload.checkLiveness(DEADLINE + ASK_TIMEOUT + 3 * TICK
                + 3 * cfg.maxLatency() + 1_000);
        if (++livenessRounds % 4 == 0) {
            // Checkpoints every 2 s: cheap, but not free.
            List<SimNode> live = liveNodes();
            for (SimNode n : live) {
                oracle.checkTakenMatchesHolds(n);
            }
            if (!live.isEmpty()) {
                oracle.checkDiskMatchesMemory(live.get(rnd.nextInt(live.size())));
            }
        }
        if (chaos) {
            at(TICK * 5, this::livenessRound);
        }
    }

    private void partition() {
        if (!chaos) {
            return;
        }
        List<String> names = new ArrayList<>(nodes.keySet());
        rnd.shuffle(names);
        int split = 1 + rnd.nextInt(Math.max(1, names.size() - 1));
        boolean oneWay = rnd.nextInt(3) == 0;
        Set<String> added = new HashSet<>();
        for (String a : names.subList(0, split)) {
            for (String b : names.subList(split, names.size())) {
                added.add(a + ">" + b);
                if (!oneWay) {
                    added.add(b + ">" + a);
                }
            }
        }
        // Some partitions last until the network heals: a permanent minority (or majority) for this run.
        long lasts = rnd.nextInt(8) == 0 ? Long.MAX_VALUE : 300 + rnd.nextLong(5_000);
        lastPartition = added;
        cutFor(added, lasts);
        if (lasts == Long.MAX_VALUE) {
            at(500 + rnd.nextLong(4_000), this::partition);
        }
    }

    /** Cuts {@code links} for {@code ms} (for ever: until the heal), then schedules the next partition. */
    private void cutFor(Set<String> links, long ms) {
        for (String l : links) {
            cut.merge(l, 1, Integer::sum);
        }
        refreshAll();
        if (ms == Long.MAX_VALUE) {
            return;
        }
        at(ms, () -> {
            for (String l : links) {
                cut.computeIfPresent(l, (k, v) -> v == 1 ? null : v - 1);
            }
            refreshAll();
            if (chaos && links == lastPartition) {
                at(500 + rnd.nextLong(4_000), this::partition);
            }
        });
    }

    /**
     * Two nodes that cannot reach each other while everyone else reaches both: A hears B and B hears C, but
     * A cannot reach C (non-transitive), overlapping whatever partition is in force.
     */
    private void pairCut() {
        if (!chaos) {
            return;
        }
        List<String> names = new ArrayList<>(nodes.keySet());
        if (names.size() >= 3) {
            rnd.shuffle(names);
            cutFor(Set.of(names.get(0) + ">" + names.get(1), names.get(1) + ">" + names.get(0)), 500 + rnd.nextLong(6_000));
        }
        at(1_000 + rnd.nextLong(6_000), this::pairCut);
    }

    /** One of: kill a node for good and remove it; remove an install lost with its data; leave; join. */
    private void operatorAction() {
        if (!chaos) {
            return;
        }
        at(2_000 + rnd.nextLong(4_000), this::operatorAction);
        List<SimNode> live = liveNodes();
        live.removeIf(n -> !n.predecessors.isEmpty()); // not serving yet: no drains or removals of it
        // Not only when every node is up at once: the runs with the most faults need operators too.
        if (live.size() < 3 || live.stream().noneMatch(n -> n.peer.ring() != null)) {
            return;
        }
        settleSome(live);
        int dice = rnd.nextInt(5);
        if (dice == 4 && live.size() > 3) {
            removeWhileAlive(live);
        } else if (dice == 0 && live.size() > 3) {
            SimNode victim = live.get(rnd.nextInt(live.size()));
            // Pods a succession handed to other peers are kept there until a forced removal through each.
            boolean keptElsewhere = cfg.uniqueNames() && !victim.peer.status().fenced().isEmpty();
            crash(victim);
            victim.dead = true;
            wiped |= !victim.store.isEmpty();
            oracle.onWiped(victim);
            workload.onWiped(victim);
            PeerId gone = victim.id;
            // The operator knows this host is gone with its pods: force, so only the cool-down applies. An
            // install removed earlier while it ran may have pods' addresses kept on any peer: as the design
            // notes say, the forced removal then goes through every peer (also one down right now, once it
            // is back: seeds 458, 5723).
            if (removedWhileAlive.contains(gone) || keptElsewhere) {
                at(1_500, () -> removeThroughEveryPeer(gone));
            } else {
                at(1_500, () -> removeInstall(gone, 3, true));
            }
        } else if (dice == 1 && !lostInstalls.isEmpty()) {
            removeInstall(lostInstalls.remove(0), 3, false);
        } else if (dice == 2 && live.size() > 3) {
            SimNode leaver = live.get(rnd.nextInt(live.size()));
            workload.drain(leaver);
            at(1_000, () -> leave(leaver, leaver.incarnation, 4));
        } else {
            addNode("j" + joined++, new Bootstrap.Observer());
            refreshNode(nodes.lastEntry().getValue());
            refreshAll();
        }
    }

    /**
     * The operator settles a conflict some live peer lists, through that peer, on a random live claimant:
     * always one nobody owns, and now and then a resolved rivalry decided otherwise. While faults are heavy
     * too, so settlements meet partitions, crashes and other settlements.
     */
    private void settleSome(List<SimNode> live) {
        for (SimNode via : live) {
            List<Conflict> listed = via.peer.ring() == null ? List.of() : Conflict.in(via.peer.ring());
            if (!listed.isEmpty()) {
                Conflict c = listed.get(rnd.nextInt(listed.size()));
                if (c.unresolved() || rnd.nextInt(3) == 0) {
                    settle(via, c, rnd);
                }
                return;
            }
        }
    }

    /** Settles {@code c} through {@code via} on one of its live claimants, picked by {@code pick} (or the lowest). */
    private void settle(SimNode via, Conflict c, Entropy pick) {
        List<PeerId> claimants = c.claims().stream().map(Claim::owner).filter(p -> !via.peer.ring().isTombstoned(p))
                .distinct().sorted().toList();
        if (claimants.isEmpty()) {
            return;
        }
        PeerId owner = claimants.get(pick == null ? 0 : pick.nextInt(claimants.size()));
        long id = workload.send(via, rid -> new Input.Settle(rid, c.range(), owner));
        settlements++;
        if (TRACE >= 0) {
            System.out.println("t=" + now + " operator settles " + c + " on " + owner + " via " + via.name + ": "
                    + workload.results.get(id));
        }
    }

    /**
     * After the heal, the operator settles every conflict nobody owns (through the first live peer, on its
     * lowest live claimant). Returns whether it settled any.
     */
    private boolean settleRemaining() {
        SimNode via = operatorPeer(liveNodes());
        if (via == null) {
            return false;
        }
        int before = settlements;
        for (Conflict c : Conflict.in(via.peer.ring())) {
            if (c.unresolved()) {
                settle(via, c, null);
            }
        }
        return settlements > before;
    }

    /**
     * The live peer the operator's clean-up goes through: the first one with a ring that does not know itself
     * removed (a removed install refuses every operator command, "fenced"), or null. Soak seed 6887 of the
     * merge int7: p00 was removed while it ran, cut off, and after the heal it was still the first live node;
     * the settlement of the last conflict went through it, was refused, and the conflict stayed.
     */
    static SimNode operatorPeer(List<SimNode> live) {
        for (SimNode n : live) {
            if (n.peer.ring() != null && !n.peer.ring().isTombstoned(n.id)) {
                return n;
            }
        }
        return null;
    }

    /** Gap reclaims the operator asked for, and those done; the refusals of the last ones after the heal. */
    int gapReclaims;
    int gapsTaken;
    private final List<Long> reclaimIds = new ArrayList<>();
    final List<String> gapRefusals = new ArrayList<>();

    /** The gap watch's own random stream (and its messages'), so that runs keep the random paths they had. */
    private Entropy gapSide = new Entropy(0);
    /** Copies of data folders restored later (an older backup of the same install): a fault of its own. */
    final Backups backups;

    /**
     * During the faults, the operator watches for gaps (every half second or so, as `weft gaps` in a loop
     * would) and now and then reclaims one some live peer lists, through that peer, whatever the network: with
     * installs down or cut off the reclaim must be refused; a gap that is only a peer's stale view (a token it
     * has not heard of yet) must be refused by the install that owns it; two peers listing one gap may
     * reclaim it at once (rival takeovers).
     */
    private void watchGaps() {
        if (!chaos) {
            return;
        }
        at(200 + gapSide.nextLong(600), this::watchGaps);
        for (SimNode via : liveNodes()) {
            List<Gap> gaps = via.peer.ring() == null || !via.predecessors.isEmpty() ? List.of() : Gap.in(via.peer.ring());
            if (!gaps.isEmpty()) {
                if (gapSide.nextInt(2) == 0) {
                    reclaim(via, gaps.get(gapSide.nextInt(gaps.size())).range());
                }
                return;
            }
        }
    }

    private long reclaim(SimNode via, dev.weft.core.address.Range gap) {
        gapReclaims++;
        long id = workload.send(via, rid -> new Input.ReclaimGap(rid, gap));
        reclaimIds.add(id);
        if (TRACE >= 0) {
            System.out.println("t=" + now + " operator reclaims gap " + gap + " via " + via.name + ": "
                    + workload.results.get(id));
            at(DEADLINE + 1_000, () -> System.out.println("t=" + now + " the reclaim of gap " + gap + " via "
                    + via.name + ": " + workload.results.get(id)));
        }
        return id;
    }

    /**
     * After the heal, with every install that will ever run again up and connected (and nodes whose leave was
     * done gone), the operator does what an
     * operator of the real thing would, and what the stranded-space check then holds it to
     * ({@link Oracle#checkNothingStranded}): it removes every install the ring still names as an owner that no
     * running node is (died for good: forced, its host is gone with its pods; lost its data: not forced, a new
     * install runs under its name; with unique names the successor does that itself), settles every conflict
     * nobody owns, and reclaims every gap, each through one live peer, waiting for convergence between steps.
     */
    private void operatorCleansUp() {
        // A node whose leave was done just before the heal lingers 3 s, then goes for good: it goes first.
        runFor(3_500);
        List<SimNode> live = liveNodes();
        if (live.isEmpty() || live.get(0).peer.ring() == null) {
            return;
        }
        dev.weft.core.ring.Ring ring = live.get(0).peer.ring();
        Set<PeerId> running = new HashSet<>();
        live.forEach(n -> running.add(n.id));
        Set<PeerId> strays = new java.util.TreeSet<>();
        for (int i = 0; i < ring.size(); i++) {
            PeerId owner = ring.ownerAt(i);
            if (owner != null && (!running.contains(owner) || ring.isTombstoned(owner))) {
                strays.add(owner); // gone, or removed already with ranges no remover took (removed while it ran)
            }
        }
        for (PeerId gone : strays) {
            SimNode host = nodes.get(gone.name());
            if (cfg.uniqueNames() && host != null && !host.dead && !ring.isTombstoned(gone)) {
                continue; // its successor takes it over (Oracle: SUCCESSION)
            }
            SimNode via = null;
            for (SimNode n : live) {
                if (via == null && !n.name.equals(gone.name()) && n.predecessors.isEmpty()
                        && !n.peer.ring().isTombstoned(n.id)) {
                    via = n;
                }
            }
            if (via != null) {
                removeInstallVia(via, gone, 3, host == null || host.dead);
            }
        }
        if (!strays.isEmpty()) {
            runFor(5_000);
            roundsToConverge();
        }
        if (settleRemaining()) {
            roundsToConverge();
        }
        live = liveNodes();
        SimNode via = operatorPeer(live);
        if (via == null) {
            return;
        }
        gapRefusals.clear();
        boolean took = false;
        for (Gap g : Gap.in(via.peer.ring())) {
            long id = reclaim(keeperOf(g.range(), live, via), g.range());
            runUntil(() -> workload.results.containsKey(id), 15_000);
            Result r = workload.results.get(id);
            if (r instanceof Result.Done) {
                took = true;
            } else {
                gapRefusals.add(g.range() + ": " + r);
            }
        }
        if (took) {
            roundsToConverge();
        }
        gapsTaken = (int) reclaimIds.stream().filter(id -> workload.results.get(id) instanceof Result.Done).count();
    }

    /**
     * The peer to reclaim {@code gap} through: one whose pods still hold fenced addresses there, as the refusal
     * of any other says (its pods' addresses are held again in what it takes, and it cannot be asked about
     * itself), else {@code otherwise}. The operator finds it in the allocations listing. Soak seed 5624: a
     * successor kept a live pod's address in the gap its predecessor's lost split left, and refused every
     * reclaim through another peer, so the gap stayed for ever.
     */
    static SimNode keeperOf(dev.weft.core.address.Range gap, List<SimNode> live, SimNode otherwise) {
        for (SimNode n : live) {
            if (!n.peer.ring().isTombstoned(n.id)
                    && n.peer.status().fenced().stream().anyMatch(h -> gap.contains(h.address()))) {
                return n;
            }
        }
        return otherwise;
    }

    /** Settlements the operator asked for in this run. */
    int settlements;

    /**
     * The operator removes a lost install through one peer, and retries through that same peer when no
     * answer comes: removal through two peers at once is the operator error the conflict check exists for.
     */
    private void removeInstall(PeerId gone, int triesLeft, boolean force) {
        List<SimNode> live = liveNodes();
        live.removeIf(n -> n.id.equals(gone));
        if (live.isEmpty()) {
            return;
        }
        removeInstallVia(live.get(rnd.nextInt(live.size())), gone, triesLeft, force);
    }

    /**
     * The operator's mistake the design must survive: a running install, cut off from everyone (for a while,
     * or until the heal), is removed as if it were dead, without force; now and then through two peers.
     */
    private void removeWhileAlive(List<SimNode> live) {
        SimNode victim = live.get(rnd.nextInt(live.size()));
        Set<String> links = new HashSet<>();
        for (String other : nodes.keySet()) {
            if (!other.equals(victim.name)) {
                links.add(victim.name + ">" + other);
                links.add(other + ">" + victim.name);
            }
        }
        cutFor(links, rnd.nextInt(4) == 0 ? Long.MAX_VALUE : 2_000 + rnd.nextLong(10_000));
        PeerId gone = victim.id;
        // What explains the alarms to come is the operator's act, whether or not an answer reaches it.
        removedWhileAlive.add(gone);
        at(1_000, () -> removeInstall(gone, 3, false));
        if (rnd.nextInt(4) == 0) {
            doubleRemovals++;
            // Now and then at nearly the same moment, before either remover can hear of the other: two
            // takeover claims at one version, which must resolve to one owner (rival takeovers).
            // (Drawn from its own stream, so runs without it keep the random paths they had.)
            Entropy side = new Entropy(cfg.seed() * 31 + doubleRemovals);
            at(side.nextInt(2) == 0 ? 1_300 : 1_001 + side.nextLong(20), () -> removeInstall(gone, 1, false));
        }
    }

    /**
     * The operator's forced removal of {@code gone}, an install removed earlier while it ran, whose pods'
     * addresses may be kept on any peer: as the design notes say, it goes through every peer, also those down
     * at the time, once they are back (soak seed 5723 went through the live ones only, and a peer down then
     * kept the dead host's pod for ever).
     */
    void removeThroughEveryPeer(PeerId gone) {
        for (SimNode n : new ArrayList<>(nodes.values())) {
            if (!n.id.equals(gone)) {
                removeInstallVia(n, gone, 3, true);
            }
        }
    }

    private void removeInstallVia(SimNode actor, PeerId gone, int triesLeft, boolean force) {
        if (triesLeft == 0 || actor.dead) {
            return;
        }
        if (!actor.up()) {
            at(1_000, () -> removeInstallVia(actor, gone, triesLeft, force));
            return;
        }
        removalsSent.add(gone.toString());
        long id = workload.send(actor, rid -> new Input.RemovePeer(rid, gone.toString(), force));
        Result answer = workload.results.get(id);
        if (answer instanceof Result.Done d && d.message().startsWith("took over")) {
            removers.put(gone, actor.id);
        }
        if (answer instanceof Result.Done) {
            if (force) {
                forcedRemovers.add(actor.id);
            }
        }
        if (TRACE >= 0) {
            System.out.println("t=" + now + " operator removes " + gone + " via " + actor.name + ": " + workload.results.get(id));
        }
        at(200, () -> {
            Result r = workload.results.get(id);
            if (!(r instanceof Result.Done) && !(r instanceof Result.Refused f && f.why() == Result.Why.UNKNOWN_PEER)) {
                at(1_000, () -> removeInstallVia(actor, gone, triesLeft - 1, force));
            }
        });
    }

    private void leave(SimNode n, int incarnation, int triesLeft) {
        if (!n.up() || n.incarnation != incarnation || !chaos) {
            return;
        }
        Result r = leaveNow(n, triesLeft == 1);
        if (r instanceof Result.Done) {
            // The node is drained and has handed everything over. Like `weft leave`, it lingers a few gossip
            // rounds so the hand-over spreads (its deltas may be lost), then shuts down for good.
            at(3_000, () -> {
                n.dead = true;
                crash(n);
                oracle.onWiped(n);
                workload.onWiped(n);
            });
        } else if (triesLeft > 1) {
            workload.drain(n);
            at(1_000, () -> leave(n, incarnation, triesLeft - 1));
        }
    }

    /**
     * The operator's leave of {@code n}. Forced, the node's pods are deleted with it; should the node stay
     * after all (the leave refused, or the node crashed before answering), the runtime sends DEL for each, now
     * or once the daemon is back (soak seed 9943: they were forgotten, and the node held one for ever).
     */
    Result leaveNow(SimNode n, boolean force) {
        List<dev.weft.core.space.Attachment> deleted = force ? workload.abandon(n) : List.of();
        long id = workload.send(n, rid -> new Input.Leave(rid, force));
        Result r = workload.results.get(id);
        if (TRACE >= 0) {
            System.out.println("t=" + now + " " + n.name + " leaves: " + r);
        }
        if (force && !(r instanceof Result.Done)) {
            workload.delete(n, deleted);
        }
        return r;
    }

    /** The network heals, crashed peers come back from disk, faults and new work stop. */
    void heal() {
        chaos = false;
        loss = 0;
        duplicate = 0;
        cut.clear();
        for (SimNode n : nodes.values()) {
            if (!n.up() && !n.dead) {
                restart(n, false);
            }
        }
        refreshAll();
    }

    /** For scenario tests: sends a request to {@code node} and runs until it is answered (or 15 s pass). */
    Result ask(String node, java.util.function.LongFunction<Input.Request> make) {
        long id = workload.send(nodes.get(node), make);
        runUntil(() -> workload.results.containsKey(id), 15_000);
        return workload.results.get(id);
    }

    /** For scenario tests: cut or restore both directions between two nodes. */
    void setCut(String a, String b, boolean isCut) {
        setOneWayCut(a, b, isCut);
        setOneWayCut(b, a, isCut);
    }

    /** For scenario tests: cut or restore what {@code from} sends to {@code to} (the link stays up while one way works). */
    void setOneWayCut(String from, String to, boolean isCut) {
        if (isCut) {
            cut.put(from + ">" + to, 1);
        } else {
            cut.remove(from + ">" + to);
        }
        refreshAll();
    }
}
