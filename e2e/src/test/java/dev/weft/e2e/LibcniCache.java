package dev.weft.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What libcni would keep on the node: the test drives the plugin directly, so it writes libcni's result cache
 * itself, as libcni's cacheAdd does after every successful ADD (one file {@code <network>-<containerId>-<ifName>}
 * of kind cniCacheV1 with the configuration's bytes in base64 and the printed result) and removes it after a
 * successful DEL (cacheDel). It outlives a wiped data folder, as /var/lib/cni does on a real node.
 */
final class LibcniCache {
    private final Path dir;

    LibcniCache(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    void added(String network, String container, String ifname, String config, String result) {
        try {
            ObjectNode o = Node.JSON.createObjectNode();
            o.put("kind", "cniCacheV1").put("containerId", container)
                    .put("config", config.getBytes(StandardCharsets.UTF_8)).put("ifName", ifname)
                    .put("networkName", network).put("netns", "/var/run/netns/e2e-pod-" + container);
            o.set("result", Node.JSON.readTree(result));
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + file(network, container, ifname) + ".tmp");
            Files.writeString(tmp, o.toString());
            Files.move(tmp, dir.resolve(file(network, container, ifname)), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("writing libcni's cache for " + container, e);
        }
    }

    void deleted(String network, String container, String ifname) {
        try {
            Files.deleteIfExists(dir.resolve(file(network, container, ifname)));
        } catch (IOException e) {
            throw new UncheckedIOException("removing libcni's cache of " + container, e);
        }
    }

    private static String file(String network, String container, String ifname) {
        return network + "-" + container + "-" + ifname;
    }
}
