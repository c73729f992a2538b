package dev.weft.daemon.cni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every verb against a real core peer, in-process. */
class CniServiceTest {
    private static final Cidr UNIVERSE = Cidr.parse("10.32.0.0/12");

    @TempDir
    Path tmp;
    private TestLoop loop;
    private AttachmentNotes notes;
    private CniService cni;
    private final AtomicLong clock = new AtomicLong(1_000);
    private final ExecutorService after = Executors.newSingleThreadExecutor();

    @BeforeEach
    void start() throws Exception {
        loop = TestLoop.ready();
        notes = AttachmentNotes.open(tmp.resolve("notes"));
        cni = new CniService(loop, notes, clock::get, after, () -> false);
    }

    @AfterEach
    void stop() {
        loop.close();
        after.shutdownNow();
    }

    private CniAnswer call(Map<String, String> env, String stdin) {
        return cni.handle(Calls.request(env, stdin)).join();
    }

    private CniAnswer add(String id, String conf) {
        return call(Calls.env("ADD", id, "eth0"), conf);
    }

    private static long address(CniAnswer a) {
        assertThat(a.exitCode()).as(a.stdout()).isZero();
        String cidr = Calls.json(a.stdout()).get("ips").get(0).get("address").asText();
        return IPv4.parse(cidr.substring(0, cidr.indexOf('/')));
    }

    private static long gateway(CniAnswer a) {
        return IPv4.parse(Calls.json(a.stdout()).get("ips").get(0).get("gateway").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void addAnswersInTheShapeOfEachVersion(String version) {
        CniAnswer a = add("c1", Calls.conf(version, "net", "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"mtu\":1400}],"
                + "\"dns\":{\"nameservers\":[\"10.96.0.10\"]}"));
        JsonNode r = Calls.json(a.stdout());
        assertThat(r.get("cniVersion").asText()).isEqualTo(version);
        JsonNode ip = r.get("ips").get(0);
        assertThat(ip.has("version")).isEqualTo(version.startsWith("0."));
        if (version.startsWith("0.")) {
            assertThat(ip.get("version").asText()).isEqualTo("4");
        }
        assertThat(ip.has("interface")).isFalse();
        assertThat(ip.get("address").asText()).endsWith("/12");
        assertThat(UNIVERSE.hosts().contains(address(a))).isTrue();
        assertThat(gateway(a)).isNotEqualTo(address(a));
        assertThat(r.get("routes").get(0).get("dst").asText()).isEqualTo("0.0.0.0/0");
        assertThat(r.get("routes").get(0).has("mtu")).isEqualTo(version.equals("1.1.0"));
        assertThat(r.get("dns").get("nameservers").get(0).asText()).isEqualTo("10.96.0.10");
        assertThat(r.has("interfaces")).isFalse();
    }

    @Test
    void addIsIdempotentAndAddressesAreUnique() {
        String conf = Calls.conf("1.0.0", "net", "");
        long first = address(add("c1", conf));
        assertThat(address(add("c1", conf))).isEqualTo(first);
        Set<Long> seen = new HashSet<>();
        seen.add(first);
        long gw = gateway(add("c1", conf));
        for (int i = 2; i <= 40; i++) {
            CniAnswer a = add("c" + i, conf);
            assertThat(seen.add(address(a))).isTrue();
            assertThat(gateway(a)).isEqualTo(gw);
        }
        assertThat(seen).doesNotContain(gw);
    }

    @Test
    void aSubnetBoundsTheAddressTheGatewayAndThePrefix() {
        CniAnswer a = add("c1", Calls.conf("1.0.0", "net", "\"subnet\":\"10.40.8.0/24\""));
        Cidr subnet = Cidr.parse("10.40.8.0/24");
        assertThat(subnet.hosts().contains(address(a))).isTrue();
        assertThat(subnet.hosts().contains(gateway(a))).isTrue();
        assertThat(Calls.json(a.stdout()).get("ips").get(0).get("address").asText()).endsWith("/24");
    }

    @Test
    void theGatewayIsStableAcrossARestartAndNeverFreed() {
        String conf = Calls.conf("1.1.0", "net", "");
        long gw = gateway(add("c1", conf));
        assertThat(call(Calls.env("DEL", "c1", "eth0"), conf).exitCode()).isZero();
        String gc = "{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"cni.dev/valid-attachments\":[]}";
        assertThat(call(Calls.env("GC", "", ""), gc).exitCode()).isZero();
        loop.restart();
        CniService again = new CniService(loop, notes, clock::get, after, () -> false);
        CniAnswer a = again.handle(Calls.request(Calls.env("ADD", "c2", "eth0"), conf)).join();
        assertThat(gateway(a)).isEqualTo(gw);
        assertThat(address(a)).isNotEqualTo(gw);
    }

    @Test
    void aRequestedAddressIsClaimedFromEachPlace() {
        long a = address(call(withArgs(Calls.env("ADD", "c1", "eth0"), "IgnoreUnknown=1;IP=10.33.0.9"),
                Calls.conf("1.0.0", "net", "")));
        assertThat(IPv4.format(a)).isEqualTo("10.33.0.9");
        long b = address(add("c2", "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"ipam\":{\"type\":\"weft-ipam\"},"
                + "\"args\":{\"cni\":{\"ips\":[\"10.33.0.10\"]}}}"));
        assertThat(IPv4.format(b)).isEqualTo("10.33.0.10");
        long c = address(add("c3", "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"ipam\":{\"type\":\"weft-ipam\"},"
                + "\"runtimeConfig\":{\"ips\":[\"10.33.0.11/12\"]}}"));
        assertThat(IPv4.format(c)).isEqualTo("10.33.0.11");
        CniAnswer taken = add("c4", "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"ipam\":{\"type\":\"weft-ipam\"},"
                + "\"runtimeConfig\":{\"ips\":[\"10.33.0.11\"]}}");
        assertThat(taken.exitCode()).isNotZero();
        assertThat(Calls.json(taken.stdout()).get("msg").asText()).contains("10.33.0.11");
    }

    private static Map<String, String> withArgs(Map<String, String> env, String args) {
        env.put("CNI_ARGS", args);
        return env;
    }

    @Test
    void delReleasesAndSucceedsForUnknownRepeatedAndMissingNetns() {
        String conf = Calls.conf("1.0.0", "net", "");
        long a = address(add("c1", conf));
        Map<String, String> del = Calls.env("DEL", "c1", "eth0");
        del.remove("CNI_NETNS");
        assertThat(call(del, conf)).isEqualTo(CniAnswer.ok(""));
        assertThat(call(del, conf)).isEqualTo(CniAnswer.ok(""));
        assertThat(call(Calls.env("DEL", "never-added", "eth0"), conf)).isEqualTo(CniAnswer.ok(""));
        assertThat(loop.held()).isEqualTo(1); // the gateway alone
        assertThat(notes.all()).isEmpty();
        assertThat(address(add("c2", conf))).isNotEqualTo(a); // not reused at once
    }

    @Test
    void checkConfirmsTheHeldAddressAndNamesAMismatch() {
        String conf = Calls.conf("1.0.0", "net", "");
        CniAnswer a = add("c1", conf);
        String prev = "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"ipam\":{\"type\":\"weft-ipam\"},\"prevResult\":"
                + a.stdout() + "}";
        assertThat(call(Calls.env("CHECK", "c1", "eth0"), prev)).isEqualTo(CniAnswer.ok(""));
        String wrong = prev.replace(IPv4.format(address(a)) + "/", "10.47.0.1/");
        CniAnswer mismatch = call(Calls.env("CHECK", "c1", "eth0"), wrong);
        assertThat(mismatch.code()).isEqualTo(CniError.GENERIC);
        assertThat(mismatch.stdout()).contains(IPv4.format(address(a))).contains("10.47.0.1");
        CniAnswer unknown = call(Calls.env("CHECK", "c2", "eth0"), prev);
        assertThat(unknown.code()).isEqualTo(CniError.UNKNOWN_CONTAINER);
    }

    @Test
    void gcFreesOnlyUnlistedAttachmentsOfItsNetworkAddedBeforeItArrived() {
        String net = Calls.conf("1.1.0", "net", "");
        String other = Calls.conf("1.1.0", "other", "");
        clock.set(100);
        add("keep", net);
        add("drop", net);
        add("drop", other);
        clock.set(200);
        add("racing", net); // stamped when the GC arrives: the runtime's list could not have held it
        clock.set(200);
        String gc = "{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"cni.dev/attachments\":"
                + "[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}]}";
        int before = loop.held();
        assertThat(call(Calls.env("GC", "", ""), gc)).isEqualTo(CniAnswer.ok(""));
        assertThat(loop.held()).isEqualTo(before - 1);
        assertThat(holds("drop", "net")).isFalse();
        assertThat(holds("keep", "net")).isTrue();
        assertThat(holds("racing", "net")).isTrue();
        assertThat(holds("drop", "other")).isTrue();
        String absent = "{\"cniVersion\":\"1.1.0\",\"name\":\"net\"}";
        assertThat(call(Calls.env("GC", "", ""), absent)).isEqualTo(CniAnswer.ok(""));
        assertThat(loop.held()).isEqualTo(before - 1);
    }

    private boolean holds(String id, String network) {
        return loop.read(p -> p.space().addressOf(new dev.weft.core.space.Attachment(id, "eth0", network))).join() >= 0;
    }

    @Test
    void twoNetworksNeverFreeEachOthersPods() {
        long a = address(add("c1", Calls.conf("1.0.0", "blue", "")));
        long b = address(add("c1", Calls.conf("1.0.0", "green", "")));
        assertThat(a).isNotEqualTo(b);
        call(Calls.env("DEL", "c1", "eth0"), Calls.conf("1.0.0", "blue", ""));
        assertThat(holds("c1", "blue")).isFalse();
        assertThat(holds("c1", "green")).isTrue();
    }

    @Test
    void statusIsZeroWhenReadyAndFiftyWhileTheRingForms() throws Exception {
        String conf = Calls.conf("1.1.0", "net", "");
        assertThat(call(Calls.env("STATUS", "", ""), conf)).isEqualTo(CniAnswer.ok(""));
        try (TestLoop forming = new TestLoop(UNIVERSE, false)) {
            CniService waiting = new CniService(forming, AttachmentNotes.open(tmp.resolve("n2")), clock::get, after,
                    () -> false);
            CniAnswer s = waiting.handle(Calls.request(Calls.env("STATUS", "", ""), conf)).join();
            assertThat(s.code()).isEqualTo(CniError.NOT_AVAILABLE);
            assertThat(s.stdout()).contains("forming");
            CniAnswer add = waiting.handle(Calls.request(Calls.env("ADD", "c1", "eth0"), conf)).join();
            assertThat(add.code()).isEqualTo(CniError.TRY_AGAIN_LATER);
            assertThat(forming.held()).isZero();
        }
    }

    @Test
    void versionListsEverySupportedVersion() {
        CniAnswer v = call(Map.of("CNI_COMMAND", "VERSION"), "");
        JsonNode r = Calls.json(v.stdout());
        assertThat(r.get("supportedVersions").toString()).isEqualTo("[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]");
    }

    @Test
    void podNamesFromCniArgsAreKeptWithTheAttachment() throws Exception {
        add("c0", Calls.conf("1.0.0", "net", ""));
        call(withArgs(Calls.env("ADD", "c1", "eth0"), "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=cart-7"),
                Calls.conf("1.0.0", "net", ""));
        Note n = AttachmentNotes.open(tmp.resolve("notes")).get(Note.key("net", "c1", "eth0")).orElseThrow();
        assertThat(n.podNamespace()).isEqualTo("shop");
        assertThat(n.podName()).isEqualTo("cart-7");
    }

    @Test
    void aSpooledDelIsDroppedWhenTheAttachmentWasAddedAgainAfterIt() {
        String conf = Calls.conf("1.0.0", "net", "");
        clock.set(100);
        add("c1", conf);
        add("c2", conf);
        clock.set(300);
        add("c1", conf); // re-ADDed at 300
        CniRequest del1 = Calls.request(Calls.env("DEL", "c1", "eth0"), conf);
        CniRequest del2 = Calls.request(Calls.env("DEL", "c2", "eth0"), conf);
        assertThat(cni.replaySpooled(del1, 200).join()).isEqualTo(CniAnswer.ok(""));
        assertThat(cni.replaySpooled(del2, 200).join()).isEqualTo(CniAnswer.ok(""));
        assertThat(holds("c1", "net")).isTrue();
        assertThat(holds("c2", "net")).isFalse();
        assertThat(cni.replaySpooled(del1, 300).join()).isEqualTo(CniAnswer.ok("")); // same instant: kept
        assertThat(holds("c1", "net")).isTrue();
        assertThat(cni.replaySpooled(del1, 301).join()).isEqualTo(CniAnswer.ok(""));
        assertThat(holds("c1", "net")).isFalse();
    }

    @Test
    void notesSurviveAReopenAndADamagedNoteIsSetAsideNotTrusted() throws Exception {
        add("c1", Calls.conf("1.0.0", "net", ""));
        Path dir = tmp.resolve("notes");
        assertThat(AttachmentNotes.open(dir).all()).hasSize(1);
        Path f;
        try (var files = Files.list(dir)) {
            f = files.findFirst().orElseThrow();
        }
        Files.writeString(f, "{\"network\":");
        assertThat(AttachmentNotes.open(dir).all()).isEmpty();
        assertThat(dir.resolve("damaged").resolve(f.getFileName())).exists();
    }
}
