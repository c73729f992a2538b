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
 * bridge made again starts with it off, so this is checked often and set when it is off; nothing else is touched.
 */
final class KernelSwitches {
    private final Path forward;
    private final Path proxyArp;
    private final String bridge;

    /** @param procSys {@code /proc/sys}, or a folder standing for it in a test */
    KernelSwitches(Path procSys, String bridge) {
        this.forward = procSys.resolve("net/ipv4/ip_forward");
        this.proxyArp = procSys.resolve("net/ipv4/conf").resolve(bridge).resolve("proxy_arp");
        this.bridge = bridge;
    }

    /**
     * Turns on what is off. Returns what it turned on, in words, for the log; empty when all was on already (or
     * the bridge does not exist yet: no pod has been made on this node).
     */
    List<String> ensure() throws IOException {
        List<String> changed = new ArrayList<>();
        if (turnOn(forward)) {
            changed.add("net.ipv4.ip_forward=1");
        }
        try {
            if (turnOn(proxyArp)) {
                changed.add("net.ipv4.conf." + bridge + ".proxy_arp=1");
            }
        } catch (NoSuchFileException e) {
            // no bridge yet; the first pod's ADD makes it
        }
        return changed;
    }

    boolean bridgeExists() {
        return Files.exists(proxyArp);
    }

    private static boolean turnOn(Path setting) throws IOException {
        if (Files.readString(setting, StandardCharsets.US_ASCII).strip().equals("1")) {
            return false;
        }
        try {
            Files.writeString(setting, "1\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("cannot write 1 to " + setting + " (" + e + "): weftd needs root (CAP_NET_ADMIN"
                    + " and a writable /proc/sys) for host routes, or turn --host-routes off", e);
        }
        return true;
    }
}
