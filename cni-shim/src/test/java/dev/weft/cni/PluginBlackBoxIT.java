package dev.weft.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.daemon.cni.CniRequest;
import dev.weft.daemon.cni.Frame;
import java.io.ByteArrayInputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plugin from the outside, both builds, against a real weftd process: what a runtime sees on stdout
 * and in the exit code, with the daemon present and absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginBlackBoxIT {
    private static final String ADD_CONF = Plugins.conf("1.0.0");

    private Path dir;
    private WeftdProcess weftd;

    @BeforeAll
    void startWeftd(@TempDir Path tmp) throws Exception {
        dir = tmp;
        weftd = WeftdProcess.start(tmp.resolve("weftd"));
    }

    @AfterAll
    void stopWeftd() throws Exception {
        if (weftd != null) {
            weftd.close();
        }
    }

    private Map<String, String> env(String command, String id) {
        return Plugins.env(command, id, weftd.cniSocket, weftd.spool);
    }

    private Map<String, String> absent(String command, String id, Path spool) {
        return Plugins.env(command, id, dir.resolve("no-weftd.sock"), spool);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> plugins() {
        return Plugins.both();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void versionIsAnsweredByThePluginItself(String build, Path plugin) throws Exception {
        PluginRun r = PluginRun.run(plugin, absent("VERSION", "x", dir.resolve("unused")), "");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo(
                "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void addCheckDelAndStatusThroughWeftd(String build, Path plugin) throws Exception {
        String id = "bb-" + build;
        PluginRun add = PluginRun.run(plugin, env("ADD", id), ADD_CONF);
        assertThat(add.exit()).as(add.toString()).isZero();
        JsonNode ip = add.json().get("ips").get(0);
        assertThat(ip.get("address").asText()).matches("10\\.(3[2-9]|4[0-7])\\.\\d+\\.\\d+/12");
        assertThat(ip.get("gateway").asText()).isNotEmpty();
        assertThat(add.json().get("routes").get(0).get("dst").asText()).isEqualTo("0.0.0.0/0");
        PluginRun again = PluginRun.run(plugin, env("ADD", id), ADD_CONF);
        assertThat(again.stdout()).isEqualTo(add.stdout());

        String prev = "{\"cniVersion\":\"1.0.0\",\"name\":\"weft\",\"ipam\":{\"type\":\"weft-ipam\"},\"prevResult\":"
                + add.stdout() + "}";
        PluginRun check = PluginRun.run(plugin, env("CHECK", id), prev);
        assertThat(check.exit()).as(check.toString()).isZero();
        assertThat(check.stdout()).isEmpty();

        PluginRun status = PluginRun.run(plugin, env("STATUS", id), Plugins.conf("1.1.0"));
        assertThat(status.exit()).as(status.toString()).isZero();

        PluginRun del = PluginRun.run(plugin, env("DEL", id), ADD_CONF);
        assertThat(del.exit()).as(del.toString()).isZero();
        assertThat(del.stdout()).isEmpty();
        assertThat(PluginRun.run(plugin, env("DEL", id), ADD_CONF).exit()).isZero();
        PluginRun gone = PluginRun.run(plugin, env("CHECK", id), prev);
        assertThat(gone.exit()).isNotZero();
        assertThat(gone.code()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void gcThroughThePluginFreesWhatTheRuntimeNoLongerLists(String build, Path plugin) throws Exception {
        String keep = "gc-keep-" + build;
        String drop = "gc-drop-" + build;
        String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"gc-" + build + "\",\"ipam\":{\"type\":\"weft-ipam\"}}";
        assertThat(PluginRun.run(plugin, env("ADD", keep), conf).exit()).isZero();
        PluginRun dropped = PluginRun.run(plugin, env("ADD", drop), conf);
        String gc = "{\"cniVersion\":\"1.1.0\",\"name\":\"gc-" + build + "\",\"cni.dev/valid-attachments\":"
                + "[{\"containerID\":\"" + keep + "\",\"ifname\":\"eth0\"}]}";
        PluginRun r = PluginRun.run(plugin, env("GC", ""), gc);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEmpty();
        String prevDrop = conf.replace("}}", "},\"prevResult\":" + dropped.stdout() + "}");
        assertThat(PluginRun.run(plugin, env("CHECK", drop), prevDrop).code()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void weftdsErrorsReachStdoutWithTheirCode(String build, Path plugin) throws Exception {
        PluginRun r = PluginRun.run(plugin, env("ADD", "err-" + build), Plugins.conf("0.2.0"));
        assertThat(r.exit()).isNotZero();
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.json().get("msg").asText()).contains("cniVersion");
        Map<String, String> noIfname = env("ADD", "err-" + build);
        noIfname.remove("CNI_IFNAME");
        assertThat(PluginRun.run(plugin, noIfname, ADD_CONF).code()).isEqualTo(4);
        PluginRun big = PluginRun.run(plugin, env("ADD", "big-" + build), new byte[Frame.MAX_STDIN + 100]);
        assertThat(big.code()).as(big.toString()).isEqualTo(6);
        assertThat(big.json().get("msg").asText()).contains("stdin");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void withWeftdAbsentAddIsElevenNamingTheSocketAndStatusIsFifty(String build, Path plugin) throws Exception {
        Path spool = dir.resolve("spool-absent-" + build);
        for (String verb : List.of("ADD", "CHECK")) {
            PluginRun r = PluginRun.run(plugin, absent(verb, "c1", spool), ADD_CONF);
            assertThat(r.exit()).isNotZero();
            assertThat(r.code()).as(r.toString()).isEqualTo(11);
            assertThat(r.json().get("msg").asText()).contains(dir.resolve("no-weftd.sock").toString());
        }
        PluginRun status = PluginRun.run(plugin, absent("STATUS", "c1", spool), Plugins.conf("1.1.0"));
        assertThat(status.code()).isEqualTo(50);
        assertThat(spool).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void aSocketThatNeverAnswersIsTreatedAsWeftdAbsentAfterTheTimeout(String build, Path plugin) throws Exception {
        Path mute = dir.resolve("mute-" + build + ".sock");
        Path spool = dir.resolve("spool-mute-" + build);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(mute)); // listens, never accepts nor answers
            Map<String, String> add = Plugins.env("ADD", "m1", mute, spool);
            add.put("WEFT_CNI_TIMEOUT", "1");
            PluginRun r = PluginRun.run(plugin, add, ADD_CONF);
            assertThat(r.code()).as(r.toString()).isEqualTo(11);
            assertThat(r.json().get("msg").asText()).contains(mute.toString());
            Map<String, String> del = Plugins.env("DEL", "m1", mute, spool);
            del.put("WEFT_CNI_TIMEOUT", "1");
            assertThat(PluginRun.run(plugin, del, ADD_CONF).exit()).isZero();
            try (var files = Files.list(spool)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("del-"))).hasSize(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void withWeftdAbsentDelIsSpooledAsOneCompleteFrame(String build, Path plugin) throws Exception {
        Path spool = dir.resolve("spool-del-" + build).resolve("nested");
        PluginRun r = PluginRun.run(plugin, absent("DEL", "c-" + build, spool), ADD_CONF);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEmpty();
        List<Path> files;
        try (var list = Files.list(spool)) {
            files = list.collect(Collectors.toList());
        }
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).startsWith("del-").endsWith(".frame");
        CniRequest req = Frame.readRequest(new ByteArrayInputStream(Files.readAllBytes(files.get(0))));
        assertThat(req.env()).containsEntry("CNI_COMMAND", "DEL").containsEntry("CNI_CONTAINERID", "c-" + build)
                .containsKey(Frame.SPOOLED_AT).doesNotContainKey("WEFT_CNI_SOCKET").doesNotContainKey("PATH");
        assertThat(new String(req.stdin(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(ADD_CONF);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plugins")
    void aDelSpooledWhileWeftdRunsIsCarriedOutByIt(String build, Path plugin) throws Exception {
        String id = "spooled-" + build;
        PluginRun add = PluginRun.run(plugin, env("ADD", id), ADD_CONF);
        Map<String, String> unreachable = env("DEL", id);
        unreachable.put("WEFT_CNI_SOCKET", dir.resolve("no-weftd.sock").toString());
        assertThat(PluginRun.run(plugin, unreachable, ADD_CONF).exit()).isZero();
        String prev = ADD_CONF.replace("}}", "},\"prevResult\":" + add.stdout() + "}");
        long deadline = System.currentTimeMillis() + 30_000; // liveness bound, not a speed claim
        while (PluginRun.run(plugin, env("CHECK", id), prev).exit() == 0) {
            assertThat(System.currentTimeMillis()).as("spooled DEL carried out").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(PluginRun.run(plugin, env("CHECK", id), prev).code()).isEqualTo(3);
    }

    @Test
    void aRestartedWeftdReplaysTheSpoolBeforeServingAndKeepsItsGateway(@TempDir Path tmp) throws Exception {
        Path plugin = Plugins.nativeBuild();
        Path home = tmp.resolve("w");
        String gateway;
        String kept;
        try (WeftdProcess w = WeftdProcess.start(home)) {
            PluginRun a = PluginRun.run(plugin, Plugins.env("ADD", "gone", w.cniSocket, w.spool), ADD_CONF);
            gateway = a.json().get("ips").get(0).get("gateway").asText();
            kept = PluginRun.run(plugin, Plugins.env("ADD", "kept", w.cniSocket, w.spool), ADD_CONF).stdout();
        }
        // weftd is down: the runtime's DEL is spooled by the Java build, into weftd's spool folder
        PluginRun del = PluginRun.run(Plugins.javaBuild(), Plugins.env("DEL", "gone", home.resolve("cni.sock"),
                home.resolve("spool")), ADD_CONF);
        assertThat(del.exit()).as(del.toString()).isZero();
        try (WeftdProcess w = WeftdProcess.start(home)) {
            try (var left = Files.list(w.spool)) {
                assertThat(left.filter(Files::isRegularFile)).isEmpty(); // carried out before the socket served
            }
            String prevKept = ADD_CONF.replace("}}", "},\"prevResult\":" + kept + "}");
            assertThat(PluginRun.run(plugin, Plugins.env("CHECK", "kept", w.cniSocket, w.spool), prevKept).exit())
                    .isZero();
            PluginRun fresh = PluginRun.run(plugin, Plugins.env("ADD", "new", w.cniSocket, w.spool), ADD_CONF);
            assertThat(fresh.json().get("ips").get(0).get("gateway").asText()).isEqualTo(gateway);
            assertThat(w.log()).contains("spooled DEL").contains("carried out");
        }
    }
}
