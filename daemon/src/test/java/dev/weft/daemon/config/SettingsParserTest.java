package dev.weft.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.node.CoreConfig;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsParserTest {

    static SettingsParser.Raw raw() {
        return new SettingsParser.Raw(null, "node-a", null, null, null, null, null, null, false, null, "/tmp/w.sock", null,
                null);
    }

    static SettingsParser.Raw with(String field, Object value) {
        SettingsParser.Raw r = raw();
        return new SettingsParser.Raw(
                field.equals("range") ? (String) value : r.range(), field.equals("name") ? (String) value : r.name(),
                field.equals("listen") ? (String) value : r.listen(),
                field.equals("advertise") ? (String) value : r.advertise(),
                field.equals("peers") ? (String) value : r.peers(),
                field.equals("bootstrap") ? (String) value : r.bootstrap(),
                field.equals("caCert") ? (String) value : r.caCert(), field.equals("caKey") ? (String) value : r.caKey(),
                field.equals("plaintext") ? (Boolean) value : r.plaintext(),
                field.equals("dataDir") ? (String) value : r.dataDir(),
                field.equals("socket") ? (String) value : r.socket(),
                field.equals("metrics") ? (String) value : r.metrics(), field.equals("tick") ? (String) value : r.tick());
    }

    @Test
    void defaultsMakeALoneClusterOwningTheWholeDefaultRange() throws Exception {
        Settings s = SettingsParser.parse(raw());
        assertThat(s.universe()).isEqualTo(CoreConfig.DEFAULT_UNIVERSE);
        assertThat(s.universe().toString()).isEqualTo("10.32.0.0/12");
        assertThat(s.bootstrap()).isEqualTo(new Bootstrap.Seeds(List.of("node-a")));
        assertThat(s.credentials()).isInstanceOf(Credentials.Plaintext.class);
        assertThat(s.listen()).as("nobody else can join a lone peer without credentials")
                .isEqualTo(new HostPort("127.0.0.1", 6790));
        assertThat(s.metrics().getPort()).isEqualTo(6791);
        assertThat(s.dataDir()).isEqualTo(Path.of("weft-data"));
        assertThat(s.tickMillis()).isEqualTo(100);
        assertThat(s.peers()).isEmpty();
    }

    static SettingsParser.Raw routes(boolean on, String bridge) {
        SettingsParser.Raw r = raw();
        return new SettingsParser.Raw(r.range(), r.name(), r.listen(), r.advertise(), r.peers(), r.bootstrap(),
                r.caCert(), r.caKey(), r.plaintext(), r.dataDir(), r.socket(), r.metrics(), r.tick(), null, null, null,
                on, bridge);
    }

    @Test
    void hostRoutesAreOffUnlessAskedForAndTheBridgeNameIsCheckedEitherWay() throws Exception {
        assertThat(SettingsParser.parse(raw()).routes()).isNull();
        assertThat(SettingsParser.parse(routes(false, "br-pods")).routes()).isNull();
        assertThat(SettingsParser.parse(routes(true, null)).routes().bridge()).isEqualTo("weft0");
        assertThat(SettingsParser.parse(routes(true, " cni0 ")).routes().bridge()).isEqualTo("cni0");
        for (String bad : List.of("a-name-too-long-x", "br/0", "br 0", "br:0", "..")) {
            assertThatThrownBy(() -> SettingsParser.parse(routes(false, bad))).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--bridge (WEFT_BRIDGE) '" + bad + "'");
        }
    }

    @Test
    void successionIsOffByDefaultAndTheFlagsTurnItOnWithTheirCacheFolder() throws Exception {
        Settings off = SettingsParser.parse(raw());
        assertThat(off.succession().uniqueNames()).isFalse();
        assertThat(off.succession().resultsDir()).isEqualTo(Path.of("/var/lib/cni/results"));
        SettingsParser.Raw r = raw();
        Settings on = SettingsParser.parse(new SettingsParser.Raw(r.range(), r.name(), r.listen(), r.advertise(),
                r.peers(), r.bootstrap(), r.caCert(), r.caKey(), r.plaintext(), r.dataDir(), r.socket(), r.metrics(),
                r.tick(), null, null, null, null, false, null, true, " /run/cni-cache/results "));
        assertThat(on.succession().uniqueNames()).isTrue();
        assertThat(on.succession().resultsDir()).isEqualTo(Path.of("/run/cni-cache/results"));
    }

    @Test
    void theHostNameIsTheDefaultPeerName() throws Exception {
        Settings s = SettingsParser.parse(with("name", null));
        assertThat(s.name()).isEqualTo(SettingsParser.hostName()).isNotBlank();
    }

    @Test
    void bootstrapModes() throws Exception {
        List<HostPort> none = List.of();
        assertThat(SettingsParser.bootstrap("seeds=b, a ,c", "a", none))
                .isEqualTo(new Bootstrap.Seeds(List.of("a", "b", "c")));
        assertThat(SettingsParser.bootstrap("consensus=3", "a", none)).isEqualTo(new Bootstrap.Consensus(3));
        assertThat(SettingsParser.bootstrap("observer", "a", none)).isEqualTo(new Bootstrap.Observer());
        assertThatThrownBy(() -> SettingsParser.bootstrap("consensus=0", "a", none)).hasMessageContaining("consensus=3");
        assertThatThrownBy(() -> SettingsParser.bootstrap("seeds=", "a", none)).hasMessageContaining("seeds=node-a");
        assertThatThrownBy(() -> SettingsParser.bootstrap("paxos", "a", none)).hasMessageContaining("not a mode");
        assertThatThrownBy(() -> SettingsParser.bootstrap(null, "a", List.of(new HostPort("10.0.0.2", 6790))))
                .hasMessageContaining("--bootstrap (WEFT_BOOTSTRAP) is required with --peers");
    }

    @Test
    void everyBadValueNamesItsFlagAndSaysWhatToWrite() {
        assertThatThrownBy(() -> SettingsParser.parse(with("range", "10.32.0.1/12")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--range (WEFT_RANGE)")
                .hasMessageContaining("did you mean 10.32.0.0/12");
        assertThatThrownBy(() -> SettingsParser.parse(with("range", "10.32.0.0/31"))).hasMessageContaining("too small");
        assertThatThrownBy(() -> SettingsParser.parse(with("name", "my node"))).hasMessageContaining("--name");
        assertThatThrownBy(() -> SettingsParser.parse(with("peers", "10.0.0.2:6790")))
                .hasMessageContaining("need credentials");
        assertThatThrownBy(() -> SettingsParser.parse(with("listen", "0.0.0.0:6790")))
                .hasMessageContaining("reachable from other hosts");
        assertThatThrownBy(() -> SettingsParser.parse(with("listen", "127.0.0.1:http")))
                .hasMessageContaining("port 'http' is not a number");
        assertThatThrownBy(() -> SettingsParser.parse(with("listen", "127.0.0.1:70000")))
                .hasMessageContaining("--listen (WEFT_LISTEN)");
        assertThatThrownBy(() -> SettingsParser.parse(with("metrics", "no-such-host.invalid:1")))
                .hasMessageContaining("--metrics-address");
        assertThatThrownBy(() -> SettingsParser.parse(with("tick", "5"))).hasMessageContaining("--tick-ms");
        assertThatThrownBy(() -> SettingsParser.parse(with("caCert", "/nope.pem")))
                .hasMessageContaining("both --ca-cert (WEFT_CA_CERT) and --ca-key");
        assertThatThrownBy(() -> SettingsParser.parse(with("socket", "/tmp/" + "x".repeat(120))))
                .hasMessageContaining("longer than");
        SettingsParser.Raw crowded = new SettingsParser.Raw("10.32.0.0/30", "a", null, null, null, "seeds=a,b,c,d,e",
                null, null, false, null, "/tmp/w.sock", null, null);
        assertThatThrownBy(() -> SettingsParser.parse(crowded))
                .hasMessageContaining("seed peers cannot share");
    }

    @Test
    void mutualTlsNeedsReadableCaFilesAndExcludesPlaintext(@TempDir Path dir) throws Exception {
        Path crt = Files.writeString(dir.resolve("ca.crt"), "pem");
        Path key = Files.writeString(dir.resolve("ca.key"), "pem");
        SettingsParser.Raw tls = new SettingsParser.Raw(null, "a", null, "10.0.0.1", "10.0.0.2:6790,10.0.0.3",
                "consensus=3", crt.toString(), key.toString(), false, null, "/tmp/w.sock", "127.0.0.1:0", null);
        Settings s = SettingsParser.parse(tls);
        assertThat(s.credentials()).isEqualTo(new Credentials.MutualTls(crt, key));
        assertThat(s.listen()).isEqualTo(new HostPort("0.0.0.0", 6790));
        assertThat(s.advertise()).isEqualTo(new HostPort("10.0.0.1", 6790));
        assertThat(s.peers()).containsExactly(new HostPort("10.0.0.2", 6790), new HostPort("10.0.0.3", 6790));

        SettingsParser.Raw both = new SettingsParser.Raw(null, "a", null, null, null, null, crt.toString(),
                key.toString(), true, null, "/tmp/w.sock", null, null);
        assertThatThrownBy(() -> SettingsParser.parse(both)).hasMessageContaining("contradict");
        SettingsParser.Raw missing = new SettingsParser.Raw(null, "a", null, null, null, null, crt.toString(),
                dir.resolve("absent.key").toString(), false, null, "/tmp/w.sock", null, null);
        assertThatThrownBy(() -> SettingsParser.parse(missing)).hasMessageContaining("not a readable file");
        SettingsParser.Raw noAdvertise = new SettingsParser.Raw(null, "a", null, null, "10.0.0.2", "consensus=3",
                crt.toString(), key.toString(), false, null, "/tmp/w.sock", null, null);
        assertThatThrownBy(() -> SettingsParser.parse(noAdvertise)).hasMessageContaining("--advertise");
    }
}
