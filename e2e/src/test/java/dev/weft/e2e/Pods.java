package dev.weft.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods the way a container runtime makes them: a network namespace per pod, and Debian's {@code bridge} plugin,
 * run inside the node's namespace, delegating IPAM to the native weft-ipam plugin, which asks that node's weftd.
 * Every pod namespace carries the LAN's suffix and is deleted by {@link #close()}, also after a failure.
 */
final class Pods implements AutoCloseable {
    static final Path BRIDGE = Path.of("/usr/lib/cni/bridge");
    /** The pods' bridge in every node: weftd's default --bridge. */
    static final String BRIDGE_NAME = "weft0";

    /** One pod: where it runs, its namespace, its address (without prefix). */
    record Pod(int node, String namespace, String containerId, String address) {}

    private final Lan lan;
    private final Path cniPath;
    private final List<String> namespaces = new ArrayList<>();

    /** @param plugin the weft-ipam executable, linked into a CNI_PATH folder under {@code dir} */
    Pods(Lan lan, Path dir, Path plugin) throws IOException {
        this.lan = lan;
        this.cniPath = dir.resolve("cni-bin");
        Files.createDirectories(cniPath);
        Files.createSymbolicLink(cniPath.resolve("weft-ipam"), plugin.toAbsolutePath());
    }

    static String conf() {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"weft\",\"type\":\"bridge\",\"bridge\":\"" + BRIDGE_NAME
                + "\",\"isGateway\":true,\"ipMasq\":false,\"ipam\":{\"type\":\"weft-ipam\"}}";
    }

    /**
     * ADDs pod {@code name} on {@code node}; with {@code address} non-null it asks for that address (CNI_ARGS IP=).
     * Returns the CNI answer of the last try: "try again later" (code 11, while space is fetched from a peer) is
     * retried after a DEL that takes the half-made interface away, as a runtime would.
     */
    Pod add(Node node, String name, String address) throws InterruptedException {
        String ns = "wep-" + name + "-" + lan.suffix;
        Sh.ok(List.of("ip", "netns", "add", ns));
        namespaces.add(ns);
        String containerId = "pod-" + name + "-" + lan.suffix;
        Sh add = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            add = bridge(node, "ADD", ns, containerId, address);
            if (add.exit() == 0) {
                JsonNode ip = json(add.out()).path("ips").path(0);
                String cidr = ip.path("address").asText();
                return new Pod(node.index, ns, containerId, cidr.substring(0, cidr.indexOf('/')));
            }
            bridge(node, "DEL", ns, containerId, address);
            Thread.sleep(500);
        }
        throw new AssertionError("ADD of pod " + name + " on " + node.name + " failed: " + add);
    }

    private Sh bridge(Node node, String command, String ns, String containerId, String address) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", "/var/run/netns/" + ns);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", cniPath + ":" + BRIDGE.getParent());
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=routes;K8S_POD_NAME=" + containerId
                + (address == null ? "" : ";IP=" + address));
        env.put("WEFT_CNI_SOCKET", node.cniSocket().toString());
        env.put("WEFT_CNI_SPOOL", node.spool().toString());
        return Sh.run(lan.exec(node.index, List.of(BRIDGE.toString())), env, conf(), 60);
    }

    /** One ping, as the brief of a CNI test has it: true when an answer came within two seconds. */
    static Sh ping(Pod from, String to) {
        return Sh.run(List.of("ip", "netns", "exec", from.namespace(), "ping", "-c", "1", "-W", "2", to));
    }

    private static JsonNode json(String s) {
        try {
            return Node.JSON.readTree(s);
        } catch (IOException e) {
            throw new AssertionError("the bridge plugin printed what is not JSON: " + s, e);
        }
    }

    /** Deletes every pod namespace (the veths go with them); idempotent. */
    @Override
    public synchronized void close() {
        for (String ns : namespaces) {
            Sh.run(List.of("ip", "netns", "del", ns));
        }
        namespaces.clear();
    }
}
