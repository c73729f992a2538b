package dev.weft.daemon.succession;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.space.Attachment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libcni's result cache, in the exact shape libcni's cacheAdd writes it, good files and bad. */
class ResultsCacheTest {
    static final Cidr UNIVERSE = Cidr.parse("10.32.0.0/12");
    static final String WEFT_LIST = "{\"cniVersion\":\"1.0.0\",\"name\":\"%s\",\"plugins\":[{\"type\":\"bridge\","
            + "\"bridge\":\"weft0\",\"ipam\":{\"type\":\"weft-ipam\"}},{\"type\":\"portmap\"}]}";
    static final String OTHER_LIST = "{\"cniVersion\":\"1.0.0\",\"name\":\"%s\",\"plugins\":[{\"type\":\"bridge\","
            + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.32.9.0/24\"}}]}";

    @TempDir
    Path dir;

    /** What libcni writes: config is Go's []byte, so base64; result is the chain's result as JSON. */
    static String cacheFile(String network, String container, String ifname, String config, String result) {
        String c = config == null ? "" : ",\"config\":\"" + Base64.getEncoder().encodeToString(
                config.getBytes(StandardCharsets.UTF_8)) + "\"";
        return "{\"kind\":\"cniCacheV1\",\"containerId\":\"" + container + "\"" + c + ",\"ifName\":\"" + ifname
                + "\",\"networkName\":\"" + network + "\",\"netns\":\"/var/run/netns/cni-1234\",\"cniArgs\":"
                + "[[\"K8S_POD_NAMESPACE\",\"default\"],[\"K8S_POD_NAME\",\"web-0\"]],\"result\":" + result + "}";
    }

    static String result(String... cidrs) {
        StringBuilder ips = new StringBuilder();
        for (String c : cidrs) {
            ips.append(ips.isEmpty() ? "" : ",").append("{\"interface\":2,\"address\":\"").append(c)
                    .append("\",\"gateway\":\"10.32.0.1\"}");
        }
        return "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"weft0\"},{\"name\":\"veth1\"},{\"name\":"
                + "\"eth0\",\"sandbox\":\"/var/run/netns/cni-1234\"}],\"ips\":[" + ips + "],\"dns\":{}}";
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    private void writeWeft(String network, String container, String... cidrs) throws IOException {
        write(network + "-" + container + "-eth0", cacheFile(network, container, "eth0",
                WEFT_LIST.formatted(network), result(cidrs)));
    }

    private ResultsCache.Scan scan() {
        return new ResultsCache(dir, UNIVERSE).read();
    }

    @Test
    void readsWeftsAttachmentsOnAnyNetworkNameThatUsesWeftIpam() throws IOException {
        writeWeft("weft", "c1", "10.32.0.5/12");
        writeWeft("k8s-pods", "c2", "10.33.1.7/12");
        ResultsCache.Scan s = scan();
        assertThat(s.holds()).containsExactlyInAnyOrderEntriesOf(Map.of(
                new Attachment("c1", "eth0", "weft"), IPv4.parse("10.32.0.5"),
                new Attachment("c2", "eth0", "k8s-pods"), IPv4.parse("10.33.1.7")));
        assertThat(s.files()).isEqualTo(2);
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void ignoresOtherNetworksAndAddressesOutsideTheUniverse() throws IOException {
        write("other-c3-eth0", cacheFile("other", "c3", "eth0", OTHER_LIST.formatted("other"), result("10.32.9.4/24")));
        writeWeft("weft", "c4", "192.168.1.4/24");
        writeWeft("weft", "c5", "fd00::5/64", "10.32.0.9/12");
        ResultsCache.Scan s = scan();
        assertThat(s.holds()).containsExactlyEntriesOf(Map.of(new Attachment("c5", "eth0"), IPv4.parse("10.32.0.9")));
        assertThat(s.otherNetworks()).isEqualTo(1);
        assertThat(s.outside()).isEqualTo(1);
        assertThat(s.problems()).isEmpty();
        assertThat(s.summary()).contains("1 attachment(s)", "3 file(s)", "1 of other networks");
    }

    @Test
    void readsOldResultsAndSinglePluginConfigs() throws IOException {
        String single = "{\"cniVersion\":\"0.2.0\",\"name\":\"weft\",\"type\":\"bridge\",\"ipam\":{\"type\":"
                + "\"weft-ipam\"}}";
        write("weft-old-eth0", cacheFile("weft", "old", "eth0", single, "{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":"
                + "\"10.32.0.77/12\",\"gateway\":\"10.32.0.1\"}}"));
        assertThat(scan().holds()).containsExactlyEntriesOf(Map.of(new Attachment("old", "eth0"),
                IPv4.parse("10.32.0.77")));
    }

    @Test
    void withoutAConfigOnlyTheDefaultNetworkIsWefts() throws IOException {
        write("weft-a-eth0", cacheFile("weft", "a", "eth0", null, result("10.32.0.20/12")));
        write("calico-b-eth0", cacheFile("calico", "b", "eth0", null, result("10.32.0.21/12")));
        ResultsCache.Scan s = scan();
        assertThat(s.holds()).containsOnlyKeys(new Attachment("a", "eth0"));
        assertThat(s.otherNetworks()).isEqualTo(1);
    }

    @Test
    void reportsEveryBadFileAndStillReadsTheGoodOnes() throws IOException {
        writeWeft("weft", "good", "10.32.0.30/12");
        write("truncated", cacheFile("weft", "t", "eth0", WEFT_LIST.formatted("weft"), result("10.32.0.31/12"))
                .substring(0, 60));
        write("empty", "");
        write("array", "[1,2]");
        write("wrong-kind", cacheFile("weft", "k", "eth0", null, result("10.32.0.32/12")).replace("cniCacheV1",
                "cniCacheV9"));
        write("no-container", cacheFile("weft", "", "eth0", null, result("10.32.0.33/12")));
        write("bad-config", cacheFile("weft", "b", "eth0", null, result("10.32.0.34/12"))
                .replace("\"ifName\"", "\"config\":\"%%%not base64\",\"ifName\""));
        write("bad-address", cacheFile("weft", "x", "eth0", null, result("10.32.0.999/12")));
        write("two-addresses", cacheFile("weft", "y", "eth0", null, result("10.32.0.35/12", "10.32.0.36/12")));
        write("no-result", cacheFile("weft", "z", "eth0", null, "\"none\""));
        write("bad-network", cacheFile("we ft", "w", "eth0", WEFT_LIST.formatted("weft"), result("10.32.0.37/12")));
        Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, 0, 1, 2});
        ResultsCache.Scan s = scan();
        assertThat(s.holds()).containsExactlyEntriesOf(Map.of(new Attachment("good", "eth0"),
                IPv4.parse("10.32.0.30")));
        assertThat(s.files()).isEqualTo(12);
        assertThat(s.problems()).hasSize(11).anySatisfy(p -> assertThat(p).startsWith("wrong-kind: kind is"))
                .anySatisfy(p -> assertThat(p).startsWith("bad-address: address '10.32.0.999/12'"))
                .anySatisfy(p -> assertThat(p).startsWith("two-addresses: names two addresses"))
                .anySatisfy(p -> assertThat(p).startsWith("bad-config: config is not base64"))
                .anySatisfy(p -> assertThat(p).startsWith("no-container: containerId is missing"));
    }

    @Test
    void skipsTemporaryFilesFoldersAndOversizedFiles() throws IOException {
        writeWeft("weft", "c1", "10.32.0.5/12");
        write(".weft-c2-eth0.tmp", cacheFile("weft", "c2", "eth0", null, result("10.32.0.6/12")));
        Files.createDirectories(dir.resolve("sub"));
        write("huge", "{\"kind\":\"" + "x".repeat((int) ResultsCache.MAX_FILE) + "\"}");
        ResultsCache.Scan s = scan();
        assertThat(s.holds()).containsOnlyKeys(new Attachment("c1", "eth0"));
        assertThat(s.problems()).singleElement().asString().startsWith("huge: larger than");
    }

    @Test
    void aMissingFolderIsANodeWithoutPods() {
        ResultsCache.Scan s = new ResultsCache(dir.resolve("absent"), UNIVERSE).read();
        assertThat(s.holds()).isEmpty();
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void aFolderThatIsAFileIsReportedNotThrown() throws IOException {
        write("plain", "x");
        ResultsCache.Scan s = new ResultsCache(dir.resolve("plain"), UNIVERSE).read();
        assertThat(s.holds()).isEmpty();
        assertThat(s.problems()).singleElement().asString().contains("could not be listed");
    }
}
