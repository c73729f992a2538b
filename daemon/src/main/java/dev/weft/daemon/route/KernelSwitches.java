package dev.weft.daemon.route;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two kernel settings host routes need on a node: forwarding ({@code net.ipv4.ip_forward}), so the node
 * passes pod traffic between its bridge and its uplink, and proxy-ARP on the pods' bridge, so the node answers
 * a pod's ARP for a pod on another node (pods have weft's whole space on-link) with its own MAC, and routes
 * the packet. The bridge plugin makes the bridge on the first pod ADD and cannot set proxy-ARP itself, and a
 * bridge made again starts with it off, so this is checked often and set when it is off. The bridge's
 * {@code proxy_delay} goes to 0 with it: by default the kernel waits up to 0.8 s at random before a proxied ARP
 * answer, which a pod's first packet to every other-node pod would pay (Calico does the same on its
 * interfaces). Nothing else is touched.
 */
final class KernelSwitches {
    private final Path forward;
    private final Path proxyArp;
    private final Path proxyDelay;
    private final String bridge;

    /** @param procSys {@code /proc/sys}, or a folder standing for it in a test */
    KernelSwitches(Path procSys, String bridge) {
        this.forward = procSys.resolve("net/ipv4/ip_forward");
        this.proxyArp = procSys.resolve("net/ipv4/conf").resolve(bridge).resolve("proxy_arp");
        this.proxyDelay = procSys.resolve("net/ipv4/neigh").resolve(bridge).resolve("proxy_delay");
        this.bridge = bridge;
    }

    /**
     * Sets what is not set. Returns what it turned on, in words, for the log; empty when all was on already (or
     * the bridge does not exist yet: no pod has been made on this node).
     */
    List<String> ensure() throws IOException {
        List<String> changed = new ArrayList<>();
        if (set(forward, "1")) {
            changed.add("net.ipv4.ip_forward=1");
        }
        try {
            if (set(proxyArp, "1")) {
                changed.add("net.ipv4.conf." + bridge + ".proxy_arp=1");
            }
            if (set(proxyDelay, "0")) {
                changed.add("net.ipv4.neigh." + bridge + ".proxy_delay=0");
            }
        } catch (NoSuchFileException e) {
            // no bridge yet; the first pod's ADD makes it
        }
        return changed;
    }

    private static boolean set(Path setting, String value) throws IOException {
        if (Files.readString(setting, StandardCharsets.US_ASCII).strip().equals(value)) {
            return false;
        }
        try {
            Files.writeString(setting, value + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("cannot write " + value + " to " + setting + " (" + e + "): weftd needs root (CAP_NET_ADMIN"
                    + " and a writable /proc/sys) for host routes, or turn --host-routes off", e);
        }
        return true;
    }
}
