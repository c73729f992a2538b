package dev.weft.daemon.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind: each is a CNI error JSON on stdout with the right code, naming the field at
 * fault, and nothing is allocated (not even the node's gateway).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CniBadInputTest {
    private static final String OK = Calls.conf("1.1.0", "net", "");

    private TestLoop loop;
    private CniService cni;
    private final ExecutorService after = Executors.newSingleThreadExecutor();

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        loop = TestLoop.ready();
        cni = new CniService(loop, AttachmentNotes.open(tmp.resolve("notes")), System::nanoTime, after, () -> false);
    }

    @AfterAll
    void stop() {
        loop.close();
        after.shutdownNow();
    }

    /** One row: a name, the variables' change, stdin, the expected code and words the message must hold. */
    record Case(String name, String command, Consumer<Map<String, String>> env, byte[] stdin, int code, String names) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void row(String name, String command, Consumer<Map<String, String>> env, String stdin, int code,
            String names) {
        CASES.add(new Case(name, command, env, stdin.getBytes(StandardCharsets.UTF_8), code, names));
    }

    private static void conf(String name, String stdin, int code, String names) {
        row(name, "ADD", e -> {}, stdin, code, names);
    }

    private static void ipam(String name, String ipamExtra, int code, String names) {
        conf(name, Calls.conf("1.1.0", "net", ipamExtra), code, names);
    }

    private static String withTop(String top) {
        return "{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"ipam\":{\"type\":\"weft-ipam\"}," + top + "}";
    }

    static {
        int env = CniError.BAD_ENVIRONMENT;
        int json = CniError.DECODE_FAILURE;
        int bad = CniError.INVALID_CONFIG;
        int version = CniError.INCOMPATIBLE_VERSION;
        // variables
        row("no CNI_COMMAND", "ADD", e -> e.remove("CNI_COMMAND"), OK, env, "CNI_COMMAND");
        row("unknown command", "FOO", e -> {}, OK, env, "CNI_COMMAND");
        row("lower-case command", "add", e -> {}, OK, env, "CNI_COMMAND");
        row("ADD without container id", "ADD", e -> e.remove("CNI_CONTAINERID"), OK, env, "CNI_CONTAINERID");
        row("ADD with empty container id", "ADD", e -> e.put("CNI_CONTAINERID", ""), OK, env, "CNI_CONTAINERID");
        row("container id starting with '-'", "ADD", e -> e.put("CNI_CONTAINERID", "-abc"), OK, env, "CNI_CONTAINERID");
        row("container id with '/'", "ADD", e -> e.put("CNI_CONTAINERID", "a/b"), OK, env, "CNI_CONTAINERID");
        row("container id with a space", "ADD", e -> e.put("CNI_CONTAINERID", "a b"), OK, env, "CNI_CONTAINERID");
        row("container id with ':'", "ADD", e -> e.put("CNI_CONTAINERID", "weft:gateway"), OK, env, "CNI_CONTAINERID");
        row("container id too long", "ADD", e -> e.put("CNI_CONTAINERID", "a".repeat(1025)), OK, env, "CNI_CONTAINERID");
        row("ADD without netns", "ADD", e -> e.remove("CNI_NETNS"), OK, env, "CNI_NETNS");
        row("ADD without ifname", "ADD", e -> e.remove("CNI_IFNAME"), OK, env, "CNI_IFNAME");
        row("ifname too long", "ADD", e -> e.put("CNI_IFNAME", "eth0123456789012"), OK, env, "CNI_IFNAME");
        row("ifname '..'", "ADD", e -> e.put("CNI_IFNAME", ".."), OK, env, "CNI_IFNAME");
        row("ifname with '/'", "ADD", e -> e.put("CNI_IFNAME", "et/h0"), OK, env, "CNI_IFNAME");
        row("ifname with ':'", "ADD", e -> e.put("CNI_IFNAME", "eth0:1"), OK, env, "CNI_IFNAME");
        row("CNI_ARGS without '='", "ADD", e -> e.put("CNI_ARGS", "IgnoreUnknown=1;junk"), OK, env, "CNI_ARGS");
        row("CNI_ARGS unknown key", "ADD", e -> e.put("CNI_ARGS", "COLOUR=blue"), OK, env, "CNI_ARGS");
        row("CNI_ARGS IP not an address", "ADD", e -> e.put("CNI_ARGS", "IP=10.32.0.300"), OK, env, "CNI_ARGS IP");
        row("CNI_ARGS IP outside the space", "ADD", e -> e.put("CNI_ARGS", "IP=192.168.1.5"), OK, env, "CNI_ARGS IP");
        row("DEL without ifname", "DEL", e -> e.remove("CNI_IFNAME"), OK, env, "CNI_IFNAME");
        row("DEL without container id", "DEL", e -> e.remove("CNI_CONTAINERID"), OK, env, "CNI_CONTAINERID");
        row("CHECK without netns", "CHECK", e -> e.remove("CNI_NETNS"), OK, env, "CNI_NETNS");
        row("GC without CNI_PATH", "GC", e -> e.remove("CNI_PATH"), OK, env, "CNI_PATH");
        row("STATUS without CNI_PATH", "STATUS", e -> e.remove("CNI_PATH"), OK, env, "CNI_PATH");
        // stdin that is not a JSON object
        conf("empty stdin", "", json, "stdin");
        conf("not JSON", "cniVersion=1.0.0", json, "stdin");
        conf("truncated JSON", OK.substring(0, OK.length() - 3), json, "stdin");
        conf("a JSON array", "[" + OK + "]", json, "stdin");
        conf("duplicate key", "{\"cniVersion\":\"1.0.0\",\"name\":\"a\",\"name\":\"b\",\"ipam\":{}}", json, "stdin");
        conf("trailing bytes", OK + "{}", json, "stdin");
        CASES.add(new Case("stdin over the bound", "ADD", e -> {}, new byte[Frame.MAX_STDIN + 1], json, "stdin"));
        // the config
        conf("no cniVersion", "{\"name\":\"net\",\"ipam\":{\"type\":\"weft-ipam\"}}", bad, "cniVersion");
        conf("cniVersion a number", "{\"cniVersion\":1.0,\"name\":\"net\",\"ipam\":{}}", bad, "cniVersion");
        conf("cniVersion 0.2.0", OK.replace("1.1.0", "0.2.0"), version, "cniVersion");
        conf("cniVersion 2.0.0", OK.replace("1.1.0", "2.0.0"), version, "cniVersion");
        conf("no name", "{\"cniVersion\":\"1.1.0\",\"ipam\":{\"type\":\"weft-ipam\"}}", bad, "name");
        conf("name with '/'", Calls.conf("1.1.0", "a/b", ""), bad, "name");
        conf("no ipam", "{\"cniVersion\":\"1.1.0\",\"name\":\"net\"}", bad, "ipam");
        conf("ipam a string", "{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"ipam\":\"weft\"}", bad, "ipam");
        ipam("unknown ipam key", "\"rangez\":[]", bad, "ipam.rangez");
        ipam("subnet a number", "\"subnet\":24", bad, "ipam.subnet");
        ipam("subnet not a CIDR", "\"subnet\":\"10.32.0.0\"", bad, "ipam.subnet");
        ipam("subnet with host bits", "\"subnet\":\"10.32.0.1/24\"", bad, "ipam.subnet");
        ipam("subnet outside the space", "\"subnet\":\"192.168.0.0/24\"", bad, "ipam.subnet");
        ipam("subnet wider than the space", "\"subnet\":\"10.0.0.0/8\"", bad, "ipam.subnet");
        ipam("subnet too small", "\"subnet\":\"10.32.0.0/31\"", bad, "ipam.subnet");
        ipam("routes an object", "\"routes\":{\"dst\":\"0.0.0.0/0\"}", bad, "ipam.routes");
        ipam("route without dst", "\"routes\":[{\"gw\":\"10.32.0.1\"}]", bad, "ipam.routes[0].dst");
        ipam("route dst not a CIDR", "\"routes\":[{\"dst\":\"default\"}]", bad, "ipam.routes[0].dst");
        ipam("route gw not an address", "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"router\"}]", bad,
                "ipam.routes[0].gw");
        ipam("route mtu negative", "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"mtu\":-1}]", bad, "ipam.routes[0].mtu");
        ipam("route unknown field", "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"via\":\"x\"}]", bad, "ipam.routes[0].via");
        ipam("dns a list", "\"dns\":[\"10.96.0.10\"]", bad, "ipam.dns");
        conf("args.cni.ips a string", withTop("\"args\":{\"cni\":{\"ips\":\"10.32.0.5\"}}"), bad, "args.cni.ips");
        conf("args.cni.ips bad address", withTop("\"args\":{\"cni\":{\"ips\":[\"10.32.0\"]}}"), bad, "args.cni.ips[0]");
        conf("runtimeConfig.ips a number", withTop("\"runtimeConfig\":{\"ips\":[5]}"), bad, "runtimeConfig.ips[0]");
        conf("requested address outside the space", withTop("\"runtimeConfig\":{\"ips\":[\"172.16.0.5\"]}"), bad,
                "requested address");
        conf("two requested addresses", withTop("\"runtimeConfig\":{\"ips\":[\"10.32.0.5\",\"10.32.0.6\"]}"), bad,
                "runtimeConfig.ips");
        conf("requested the subnet's network address", "{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"ipam\":"
                + "{\"type\":\"weft-ipam\",\"subnet\":\"10.32.4.0/24\"},\"runtimeConfig\":{\"ips\":[\"10.32.4.0\"]}}",
                bad, "ipam.subnet");
        row("CNI_ARGS IP differs from the config", "ADD", e -> e.put("CNI_ARGS", "IP=10.32.0.7"),
                withTop("\"runtimeConfig\":{\"ips\":[\"10.32.0.8\"]}"), bad, "CNI_ARGS IP");
        // verbs the config's version does not allow, and their own inputs
        row("CHECK on 0.3.1", "CHECK", e -> {}, Calls.conf("0.3.1", "net", ""), version, "CHECK");
        row("CHECK without prevResult", "CHECK", e -> {}, OK, bad, "prevResult");
        row("CHECK with prevResult a list", "CHECK", e -> {}, withTop("\"prevResult\":[]"), bad, "prevResult");
        row("CHECK with no ips", "CHECK", e -> {}, withTop("\"prevResult\":{\"ips\":[]}"), bad, "prevResult.ips");
        row("CHECK with a bad address", "CHECK", e -> {}, withTop("\"prevResult\":{\"ips\":[{\"address\":\"x\"}]}"),
                bad, "prevResult.ips[0].address");
        row("GC on 1.0.0", "GC", e -> {}, Calls.conf("1.0.0", "net", ""), version, "GC");
        row("GC list an object", "GC", e -> {}, withTop("\"cni.dev/valid-attachments\":{}"), bad,
                "cni.dev/valid-attachments");
        row("GC entry without containerID", "GC", e -> {}, withTop("\"cni.dev/valid-attachments\":[{\"ifname\":\"eth0\"}]"),
                bad, "containerID");
        row("STATUS on 0.4.0", "STATUS", e -> {}, Calls.conf("0.4.0", "net", ""), version, "STATUS");
        row("DEL without a name", "DEL", e -> {}, "{\"cniVersion\":\"1.1.0\"}", bad, "name");
    }

    static Stream<Arguments> cases() {
        return CASES.stream().map(Arguments::of);
    }

    @Test
    void theTableHasAtLeastFortyCases() {
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsANamedCniErrorAndAllocatesNothing(Case c) {
        Map<String, String> env = Calls.env(c.command(), "c1", "eth0");
        c.env().accept(env);
        CniAnswer a = cni.handle(new CniRequest(env, c.stdin())).join();
        assertThat(a.exitCode()).as(a.stdout()).isNotZero();
        JsonNode err = Calls.json(a.stdout());
        assertThat(err.get("code").asInt()).as(a.stdout()).isEqualTo(c.code());
        assertThat(err.get("msg").asText()).as(a.stdout()).contains(c.names());
        assertThat(err.get("cniVersion").asText()).isNotEmpty();
        assertThat(err.get("details").asText()).isNotEmpty();
        assertThat(loop.held()).isZero();
    }
}
