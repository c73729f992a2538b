package dev.weft.sim;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.node.Input;
import dev.weft.core.node.Reply;
import dev.weft.core.node.Result;
import dev.weft.core.peer.Entropy;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The container runtime and the operator, as the cluster sees them: pods come and go on random nodes
 * (allocate, claim, release, release of a whole container, GC), each pod's requests go to its own node,
 * and the client behaves as kubelet does: after an ADD that failed or got no answer, it sends DEL.
 * Every reply is checked by the oracle, and every request must be answered in bounded time.
 */
final class Workload {
    private final Simulation sim;
    private final Entropy rnd;
    private final Oracle oracle;
    private long nextId = 1;
    private int containers;

    /** What the client believes of each attachment it created. */
    private static final class Pod {
        final String node;
        long address = -1;
        boolean busy;

        Pod(String node) {
            this.node = node;
        }
    }

    record Outstanding(String node, int incarnation, long sentAt, Input.Request request) {}

    private final LinkedHashMap<Attachment, Pod> pods = new LinkedHashMap<>();
    private final LinkedHashMap<Long, Outstanding> outstanding = new LinkedHashMap<>();
    /** Attachments whose last request got no answer (the node crashed): DEL them when the node is back. */
    private final Map<String, Set<Attachment>> toDelete = new HashMap<>();
    /** Nodes being drained for a planned leave: no new pods go there, as kubectl drain cordons first. */
    private final Set<String> cordoned = new HashSet<>();
    /** The CNI networks pods attach to: weft's default one, and a second that must never free the first's. */
    static final String[] NETWORKS = {Attachment.DEFAULT_NETWORK, "storage"};
    /** Results by request id, for scenario tests. */
    final Map<Long, Result> results = new HashMap<>();
    long answered;

    Workload(Simulation sim, Entropy rnd, Oracle oracle) {
        this.sim = sim;
        this.rnd = rnd;
        this.oracle = oracle;
    }

    long send(SimNode n, java.util.function.LongFunction<Input.Request> make) {
        long id = nextId++;
        Input.Request r = make.apply(id);
        if (!n.up()) {
            // The daemon is down: the plugin's connection is refused at once; DEL again once it is back.
            for (Attachment a : touched(r, n.name)) {
                toDelete.computeIfAbsent(n.name, k -> new HashSet<>()).add(a);
            }
            return id;
        }
        outstanding.put(id, new Outstanding(n.name, n.incarnation, sim.now(), r));
        sim.step(n, r);
        return id;
    }

    /** One random pod or operator action on a random live node. */
    void randomOp() {
        List<SimNode> live = new ArrayList<>(sim.liveNodes());
        live.removeIf(n -> cordoned.contains(n.name) || !n.predecessors.isEmpty());
        if (live.isEmpty()) {
            return;
        }
        SimNode n = live.get(rnd.nextInt(live.size()));
        int dice = rnd.nextInt(100);
        if (dice < 40) {
            allocate(n, dice < 8 ? randomSubnet() : null);
        } else if (dice < 48) {
            Range hosts = sim.config().universe().hosts();
            long address = hosts.start() + rnd.nextLong(hosts.size());
            Attachment a = newAttachment(n);
            pods.get(a).busy = true;
            send(n, id -> new Input.Claim(id, a, address));
        } else if (dice < 75) {
            Attachment a = randomPod(n, true);
            if (a != null) {
                pods.get(a).busy = true;
                send(n, id -> new Input.Release(id, a));
            }
        } else if (dice < 80) {
            Attachment a = randomPod(n, true);
            if (a != null && !anyBusy(n.name, a)) {
                markBusy(n.name, a);
                send(n, id -> new Input.ReleaseContainer(id, a.containerId(), a.network()));
            }
        } else if (dice < 85) {
            if (!anyOutstanding(n.name)) {
                // One network's GC: it lists only that network's attachments and must leave the other's alone.
                String network = NETWORKS[rnd.nextInt(NETWORKS.length)];
                Set<Attachment> valid = new HashSet<>();
                pods.forEach((a, p) -> {
                    if (p.node.equals(n.name) && a.network().equals(network)) {
                        valid.add(a);
                    }
                });
                send(n, id -> new Input.Gc(id, valid, network));
            }
        } else if (dice < 93) {
            // The runtime repeating an ADD (kubelet retries): must get the very same address.
            Attachment a = randomPod(n, true);
            if (a != null) {
                pods.get(a).busy = true;
                send(n, id -> new Input.Allocate(id, a, null));
            }
        } else {
            // The runtime repeating an ADD while the first still waits (for space from a peer, say): both get
            // the one answer.
            for (Outstanding o : outstanding.values()) {
                if (o.node().equals(n.name) && o.incarnation() == n.incarnation && o.request() instanceof Input.Allocate a) {
                    send(n, id -> new Input.Allocate(id, a.attachment(), a.within()));
                    break;
                }
            }
        }
    }

    long allocate(SimNode n, Cidr within) {
        Attachment a = newAttachment(n);
        pods.get(a).busy = true;
        return send(n, id -> new Input.Allocate(id, a, within));
    }

    private Cidr randomSubnet() {
        Cidr u = sim.config().universe();
        int prefix = Math.min(30, u.prefix() + 1 + rnd.nextInt(4));
        long size = 1L << (32 - prefix);
        long base = u.base() + rnd.nextLong(u.size() / size) * size;
        return new Cidr(base, prefix);
    }

    /**
     * A new attachment on {@code n}: mostly a new container, sometimes one more interface of a container
     * already there (on the same or the other CNI network, as a pod with several networks has).
     */
    private Attachment newAttachment(SimNode n) {
        String network = NETWORKS[rnd.nextInt(4) == 0 ? 1 : 0];
        Attachment a = null;
        if (rnd.nextInt(5) == 0) {
            Attachment sibling = randomPod(n, false);
            if (sibling != null) {
                a = new Attachment(sibling.containerId(), "net" + (1 + rnd.nextInt(3)), network);
            }
        }
        if (a == null || pods.containsKey(a)) {
            containers++;
            a = new Attachment("c" + containers, rnd.nextInt(8) == 0 ? "net1" : "eth0", network);
        }
        pods.put(a, new Pod(n.name));
        return a;
    }

    private Attachment randomPod(SimNode n, boolean held) {
        List<Attachment> mine = new ArrayList<>();
        pods.forEach((a, p) -> {
            if (p.node.equals(n.name) && !p.busy && (!held || p.address >= 0)) {
                mine.add(a);
            }
        });
        return mine.isEmpty() ? null : mine.get(rnd.nextInt(mine.size()));
    }

    /** Whether any attachment of {@code like}'s container on {@code like}'s network, on {@code node}, is busy. */
    private boolean anyBusy(String node, Attachment like) {
        for (Map.Entry<Attachment, Pod> e : pods.entrySet()) {
            if (e.getValue().node.equals(node) && e.getKey().of(like.containerId(), like.network()) && e.getValue().busy) {
                return true;
            }
        }
        return false;
    }

    private void markBusy(String node, Attachment like) {
        pods.forEach((a, p) -> {
            if (p.node.equals(node) && a.of(like.containerId(), like.network())) {
                p.busy = true;
            }
        });
    }

    private boolean anyOutstanding(String node) {
        for (Outstanding o : outstanding.values()) {
            if (o.node().equals(node)) {
                return true;
            }
        }
        return false;
    }

    void onReply(SimNode n, Reply reply) {
        Outstanding o = outstanding.remove(reply.id());
        if (o == null) {
            throw oracle.fail("reply to unknown or already answered request " + reply.id() + ": " + reply);
        }
        answered++;
        results.put(reply.id(), reply.result());
        Input.Request r = o.request();
        Result res = reply.result();
        if (r instanceof Input.Allocate a) {
            assignedOrDel(n, a.attachment(), res, a.within());
        } else if (r instanceof Input.Claim c) {
            if (res instanceof Result.Assigned as && as.address() != c.address()) {
                throw oracle.fail("claim of " + c.address() + " assigned " + as.address());
            }
            assignedOrDel(n, c.attachment(), res, null);
        } else if (r instanceof Input.Release rel) {
            gone(rel.attachment());
            if (rnd.nextInt(6) == 0 && !cordoned.contains(n.name)) {
                // The same container and interface asks again at once (a pod restarted in place).
                Attachment a = rel.attachment();
                sim.soon(() -> {
                    if (n.up() && !pods.containsKey(a)) {
                        Pod p = new Pod(n.name);
                        p.busy = true;
                        pods.put(a, p);
                        send(n, id -> new Input.Allocate(id, a, null));
                    }
                });
            }
        } else if (r instanceof Input.RemovePeer rp && res instanceof Result.Done) {
            sim.onRemoved(n, rp.peer());
        } else if (r instanceof Input.ReleaseContainer rc) {
            if (res instanceof Result.Released rel) {
                for (Hold h : rel.freed()) {
                    if (!h.attachment().of(rc.containerId(), rc.network())) {
                        throw oracle.fail("release of container " + rc.containerId() + " on network " + rc.network()
                                + " freed " + h);
                    }
                }
            }
            for (Attachment a : new ArrayList<>(pods.keySet())) {
                if (a.of(rc.containerId(), rc.network()) && pods.get(a).node.equals(n.name)) {
                    gone(a);
                }
            }
        } else if (r instanceof Input.Gc gc && res instanceof Result.Released rel) {
            for (Hold h : rel.freed()) {
                if (!h.attachment().network().equals(gc.network())) {
                    throw oracle.fail("GC of network " + gc.network() + " freed " + h + " of another network");
                }
                Pod p = pods.get(h.attachment());
                if (p != null && p.address >= 0) {
                    throw oracle.fail("GC freed " + h + " though it was in the valid list");
                }
            }
        }
    }

    private void assignedOrDel(SimNode n, Attachment a, Result res, Cidr within) {
        Pod p = pods.get(a);
        if (p == null) {
            return;
        }
        p.busy = false;
        if (res instanceof Result.Assigned as) {
            oracle.onAssigned(n, a, as.address(), within);
            p.address = as.address();
        } else if (p.address < 0) {
            // A failed ADD is followed by DEL, as the runtime does.
            p.busy = true;
            sim.soon(() -> {
                if (n.up()) {
                    send(n, id -> new Input.Release(id, a));
                } else {
                    toDelete.computeIfAbsent(n.name, k -> new HashSet<>()).add(a);
                }
            });
        }
    }

    private void gone(Attachment a) {
        pods.remove(a);
        oracle.forget(a);
    }

    /** {@code n} crashed: what it was asked and did not answer has an unknown outcome. */
    void onCrash(SimNode n) {
        for (var it = outstanding.entrySet().iterator(); it.hasNext(); ) {
            Outstanding o = it.next().getValue();
            if (!o.node().equals(n.name)) {
                continue;
            }
            it.remove();
            for (Attachment a : touched(o.request(), n.name)) {
                oracle.forget(a);
                Pod p = pods.get(a);
                if (p != null) {
                    p.address = -1;
                    p.busy = true;
                    toDelete.computeIfAbsent(n.name, k -> new HashSet<>()).add(a);
                }
            }
        }
    }

    private List<Attachment> touched(Input.Request r, String node) {
        if (r instanceof Input.Allocate a) {
            return List.of(a.attachment());
        }
        if (r instanceof Input.Claim c) {
            return List.of(c.attachment());
        }
        if (r instanceof Input.Release rel) {
            return List.of(rel.attachment());
        }
        if (r instanceof Input.ReleaseContainer rc) {
            List<Attachment> out = new ArrayList<>();
            pods.forEach((a, p) -> {
                if (p.node.equals(node) && a.of(rc.containerId(), rc.network())) {
                    out.add(a);
                }
            });
            return out;
        }
        return List.of();
    }

    /** {@code n} is back from disk: DEL whatever had an unknown outcome. */
    void onRestart(SimNode n) {
        Set<Attachment> dels = toDelete.remove(n.name);
        if (dels != null) {
            for (Attachment a : dels) {
                send(n, id -> new Input.Release(id, a));
            }
        }
    }

    /** What the client knows {@code node}'s pods hold: libcni's result cache on that node. */
    Map<Attachment, Long> liveHolds(String node) {
        Map<Attachment, Long> out = new LinkedHashMap<>();
        pods.forEach((a, p) -> {
            if (p.node.equals(node) && p.address >= 0) {
                out.put(a, p.address);
            }
        });
        return out;
    }

    /** {@code n}'s pods are gone with its data. */
    void onWiped(SimNode n) {
        toDelete.remove(n.name);
        pods.entrySet().removeIf(e -> e.getValue().node.equals(n.name));
        outstanding.values().removeIf(o -> o.node().equals(n.name));
    }

    /**
     * The operator forces a leave: whatever pods are still on the node are deleted with it, so nothing
     * acknowledged there is counted on any more (their addresses go with the forced hand-over). Returns them,
     * with those still waiting for a DEL, for {@link #delete} should the node stay after all.
     */
    List<Attachment> abandon(SimNode n) {
        List<Attachment> deleted = new ArrayList<>();
        for (Attachment a : new ArrayList<>(pods.keySet())) {
            if (pods.get(a).node.equals(n.name)) {
                gone(a);
                deleted.add(a);
            }
        }
        deleted.addAll(toDelete.getOrDefault(n.name, Set.of()));
        toDelete.remove(n.name);
        return deleted;
    }

    /** Pods deleted on {@code n}, which stays: the runtime sends DEL for each, now or when the daemon is back. */
    void delete(SimNode n, List<Attachment> deleted) {
        toDelete.computeIfAbsent(n.name, k -> new HashSet<>()).addAll(deleted);
        if (n.up()) {
            onRestart(n);
        }
    }

    /** The node's pods are drained before a planned leave: cordon it, then release them all. */
    void drain(SimNode n) {
        cordoned.add(n.name);
        List<Attachment> mine = new ArrayList<>();
        pods.forEach((a, p) -> {
            if (p.node.equals(n.name) && !p.busy && p.address >= 0) {
                p.busy = true;
                mine.add(a);
            }
        });
        for (Attachment a : mine) {
            send(n, id -> new Input.Release(id, a));
        }
    }

    /** Every request to a node that stayed up is answered within its deadline plus slack. */
    void checkLiveness(long slack) {
        for (Map.Entry<Long, Outstanding> e : outstanding.entrySet()) {
            Outstanding o = e.getValue();
            if (sim.now() - o.sentAt() > slack) {
                throw oracle.fail("LIVENESS: request " + e.getKey() + " " + o.request() + " to " + o.node() + " sent at "
                        + o.sentAt() + " is still unanswered");
            }
        }
    }

    /** Whether the client still counts on {@code a}, on {@code node}. */
    boolean countsOn(String node, Attachment a) {
        Pod p = pods.get(a);
        // A pod whose node lost its range (removed while it ran, or outranked by a takeover) is kept held by
        // whoever owns the address now, too: on any node, so long as the client counts on it.
        return p != null && (p.node.equals(node) || !sim.node(p.node).dead);
    }

    int outstandingCount() {
        return outstanding.size();
    }
}
