package dev.weft.cni;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The two builds of weft-ipam, as mvn package left them, and the variables a runtime passes. */
final class Plugins {
    private Plugins() {}

    static Path javaBuild() {
        return built("weft.ipam.java", "target/weft-ipam/java/weft-ipam");
    }

    static Path nativeBuild() {
        return built("weft.ipam.native", "target/weft-ipam/native/weft-ipam");
    }

    private static Path built(String property, String fallback) {
        Path p = Path.of(System.getProperty(property, fallback)).toAbsolutePath();
        if (!Files.isExecutable(p)) {
            throw new AssertionError("no plugin at " + p + ": run mvn package on cni-shim first");
        }
        return p;
    }

    /** Both builds: every black-box test runs against each, so they cannot drift apart. */
    static Stream<Arguments> both() {
        return Stream.of(Arguments.of("java", javaBuild()), Arguments.of("native", nativeBuild()));
    }

    static Map<String, String> env(String command, String containerId, Path socket, Path spool) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", "/var/run/netns/" + containerId);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("WEFT_CNI_SOCKET", socket.toString());
        env.put("WEFT_CNI_SPOOL", spool.toString());
        return env;
    }

    static String conf(String version) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"weft\",\"type\":\"bridge\","
                + "\"ipam\":{\"type\":\"weft-ipam\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}";
    }
}
