package dev.weft.e2e;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the plugin acknowledged, as a runtime would remember it: every attachment that was given an address and
 * not yet sent a DEL, with the node that gave it and when. It also keeps the counts and the violations seen from the
 * client side: an address acknowledged to a second attachment while the first still holds it, an answer that was
 * neither an address nor code 11, a call that never came back.
 */
final class Ledger {
    /** An acknowledged, unreleased allocation. */
    record Grant(int node, String container, String address, long atMillis) {}

    private final Map<String, Grant> live = new HashMap<>();
    private final Map<String, String> byAddress = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long adds;
    private long acknowledged;
    private long tryLater;
    private long dels;

    synchronized void acknowledged(int node, String container, String address, long atMillis) {
        adds++;
        acknowledged++;
        Grant before = live.get(container);
        if (before != null && !before.address().equals(address)) {
            violations.add("a repeated ADD of " + container + " got " + address + " after " + before.address());
        }
        String holder = byAddress.get(address);
        if (holder != null && !holder.equals(container)) {
            violations.add(address + " acknowledged to " + container + " on n" + node + " while " + holder
                    + " (on n" + live.get(holder).node() + ") still holds it");
        }
        live.put(container, new Grant(node, container, address, atMillis));
        byAddress.put(address, container);
    }

    synchronized void tryLater() {
        adds++;
        tryLater++;
    }

    synchronized void violation(String what) {
        violations.add(what);
    }

    /** From the moment a DEL is sent, the address may be freed and given again: it is no longer this pod's. */
    synchronized void releasing(String container) {
        dels++;
        Grant g = live.remove(container);
        if (g != null) {
            byAddress.remove(g.address());
        }
    }

    /** A node lost for good takes its pods with it (they ran there); what they held is no longer owed. */
    synchronized void forgetNode(int node) {
        live.values().removeIf(g -> {
            if (g.node() == node) {
                byAddress.remove(g.address());
                return true;
            }
            return false;
        });
    }

    synchronized List<Grant> live() {
        return new ArrayList<>(live.values());
    }

    synchronized List<Grant> liveOn(int node) {
        return live.values().stream().filter(g -> g.node() == node).toList();
    }

    synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }

    synchronized String counts() {
        return adds + " ADDs (" + acknowledged + " acknowledged, " + tryLater + " answered 11), " + dels + " DELs, "
                + live.size() + " held at the end";
    }

    synchronized long acknowledgedCount() {
        return acknowledged;
    }
}
