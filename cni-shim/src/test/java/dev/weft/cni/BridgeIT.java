package dev.weft.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real chain: Debian's {@code bridge} plugin delegating IPAM to weft-ipam, against a running weftd.
 * Everything lives in network namespaces this test makes: a "host" namespace holding the bridge, and one
 * per pod. Nothing is added to the machine's own namespace; every namespace is removed, also on failure.
 */
class BridgeIT {
    private static final Path BRIDGE = Path.of("/usr/lib/cni/bridge");
    private static final int PODS = 50;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;
    private final List<String> namespaces = new ArrayList<>();
    private final String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final String host = "wcni-h-" + tag;
    private final String bridge = "wb" + tag;
    private final String network = "weft-bridge-" + tag;
    private WeftdProcess weftd;
    private Path cniPath;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> plugins() {
        return Plugins.both();
    }

    @BeforeEach
    void prerequisites() {
        Prerequisites.require("0".equals(Sh.run(List.of("id", "-u")).out().trim()), "root (network namespaces)");
        Prerequisites.require(Files.isExecutable(BRIDGE), "Debian's containernetworking-plugins (" + BRIDGE + ")");
        Prerequisites.require(Sh.run(List.of("ip", "netns", "list")).exit() == 0, "iproute2 with netns support");
        Prerequisites.require(Sh.run(List.of("ping", "-V")).exit() == 0, "iputils-ping");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String ns : namespaces) {
            Sh.run(List.of("ip", "netns", "del", ns)); // deleting the host namespace takes the bridge and veths
        }
        if (weftd != null) {
            weftd.close();
        }
        assertThat(Sh.run(List.of("ip", "link", "show", bridge)).exit()).as("no bridge in the machine's namespace")
                .isNotZero();
    }

    private String conf(String version) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"" + network + "\",\"type\":\"bridge\",\"bridge\":\""
                + bridge + "\",\"isGateway\":true,\"ipMasq\":false,\"ipam\":{\"type\":\"weft-ipam\","
                + "\"subnet\":\"10.44.0.0/16\"}}";
    }

    private String pod(int n) {
        return "wcni-p-" + tag + "-" + n;
    }

    private Map<String, String> env(String command, int n) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "pod-" + tag + "-" + n);
        env.put("CNI_NETNS", "/var/run/netns/" + pod(n));
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", cniPath + ":/usr/lib/cni");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=bridge-test;K8S_POD_NAME=pod-" + n);
        env.put("WEFT_CNI_SOCKET", weftd.cniSocket.toString());
        env.put("WEFT_CNI_SPOOL", weftd.spool.toString());
        return env;
    }

    /** The bridge plugin runs in the "host" namespace, as a runtime on that host would run it. */
    private Sh bridge(String command, int n, String stdin) {
        List<String> cmd = List.of("ip", "netns", "exec", host, BRIDGE.toString());
        return Sh.run(cmd, env(command, n), stdin);
    }

    private void netns(String name) {
        Sh.ok(List.of("ip", "netns", "add", name));
        namespaces.add(name);
    }

    private String podAddress(int n) {
        Sh r = Sh.run(List.of("ip", "-n", pod(n), "-4", "-o", "addr", "show", "dev", "eth0"));
        return r.exit() == 0 && r.out().contains("inet ") ? r.out().split("inet ")[1].split(" ")[0] : null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void podsOnARealBridgeGetWeftAddressesReachTheGatewayAndLoseThemOnDel(String build, Path plugin) throws Exception {
        weftd = WeftdProcess.start(tmp.resolve("weftd"));
        cniPath = tmp.resolve("cni-bin");
        Files.createDirectories(cniPath);
        Files.createSymbolicLink(cniPath.resolve("weft-ipam"), plugin);
        netns(host);
        Sh.ok(List.of("ip", "-n", host, "link", "set", "lo", "up"));

        Map<Integer, String> live = new LinkedHashMap<>();
        Map<Integer, String> results = new HashMap<>();
        String gateway = null;
        for (int n = 0; n < PODS; n++) {
            gateway = addPod(n, live, results, gateway);
        }
        // churn: every third pod goes, fifteen new ones come
        for (int n = 0; n < PODS; n += 3) {
            Sh del = bridge("DEL", n, conf("1.0.0"));
            assertThat(del.exit()).as(del.out()).isZero();
            assertThat(podAddress(n)).as("pod %d lost its address", n).isNull();
            live.remove(n);
        }
        for (int n = PODS; n < PODS + 15; n++) {
            gateway = addPod(n, live, results, gateway);
        }
        assertThat(new HashSet<>(live.values())).as("all addresses unique").hasSize(live.size());
        assertThat(live.values()).doesNotContain(gateway + "/16");
        String bridgeAddrs = Sh.ok(List.of("ip", "-n", host, "-4", "-o", "addr", "show", "dev", bridge)).out();
        assertThat(bridgeAddrs).contains("inet " + gateway + "/16");

        // CHECK through the chain (bridge 1.1.1 speaks CHECK for 0.4.0 and 1.0.0)
        for (int n : List.of(1, PODS + 1)) {
            String withPrev = conf("1.0.0").replaceFirst("}$", ",\"prevResult\":" + results.get(n) + "}");
            Sh check = bridge("CHECK", n, withPrev);
            assertThat(check.exit()).as("CHECK of pod %d: %s", n, check.out()).isZero();
        }

        // GC and STATUS are CNI 1.1, which bridge 1.1.1 does not speak: straight to the plugin.
        String leaked = "leak-" + tag;
        Map<String, String> direct = env("ADD", 0);
        direct.put("CNI_CONTAINERID", leaked);
        PluginRun leak = PluginRun.run(plugin, direct, conf("1.1.0"));
        assertThat(leak.exit()).as(leak.toString()).isZero();
        StringBuilder valid = new StringBuilder();
        for (int n : live.keySet()) {
            valid.append(valid.length() == 0 ? "" : ",").append("{\"containerID\":\"pod-").append(tag).append('-')
                    .append(n).append("\",\"ifname\":\"eth0\"}");
        }
        String gc = conf("1.1.0").replaceFirst("}$", ",\"cni.dev/valid-attachments\":[" + valid + "]}");
        Map<String, String> gcEnv = env("GC", 0);
        PluginRun gcRun = PluginRun.run(plugin, gcEnv, gc);
        assertThat(gcRun.exit()).as(gcRun.toString()).isZero();
        direct.put("CNI_COMMAND", "CHECK");
        String leakPrev = conf("1.1.0").replaceFirst("}$", ",\"prevResult\":" + leak.stdout() + "}");
        assertThat(PluginRun.run(plugin, direct, leakPrev).code()).isEqualTo(3);
        for (int n : live.keySet()) {
            String withPrev = conf("1.0.0").replaceFirst("}$", ",\"prevResult\":" + results.get(n) + "}");
            assertThat(bridge("CHECK", n, withPrev).exit()).as("pod %d kept its address through GC", n).isZero();
        }
        assertThat(PluginRun.run(plugin, env("STATUS", 0), conf("1.1.0")).exit()).isZero();

        for (int n : new ArrayList<>(live.keySet())) {
            assertThat(bridge("DEL", n, conf("1.0.0")).exit()).isZero();
            assertThat(podAddress(n)).isNull();
        }
    }

    /** ADDs pod {@code n} through bridge and checks its address, the gateway, and a ping to it. */
    private String addPod(int n, Map<Integer, String> live, Map<Integer, String> results, String gateway) {
        netns(pod(n));
        Sh add = bridge("ADD", n, conf("1.0.0"));
        assertThat(add.exit()).as("ADD of pod %d: %s", n, add.out()).isZero();
        JsonNode ip = json(add.out()).get("ips").get(0);
        String address = ip.get("address").asText();
        String gw = ip.get("gateway").asText();
        assertThat(address).startsWith("10.44.").endsWith("/16");
        if (gateway != null) {
            assertThat(gw).as("one gateway per node").isEqualTo(gateway);
        }
        assertThat(podAddress(n)).as("ip -n %s addr", pod(n)).isEqualTo(address);
        Sh ping = Sh.run(List.of("ip", "netns", "exec", pod(n), "ping", "-c", "1", "-W", "5", gw));
        assertThat(ping.exit()).as("pod %d pings the gateway %s: %s", n, gw, ping.out()).isZero();
        Set<String> others = new HashSet<>(live.values());
        assertThat(others).as("address of pod %d is unique", n).doesNotContain(address);
        live.put(n, address);
        results.put(n, add.out());
        return gw;
    }

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
