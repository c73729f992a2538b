package dev.weft.daemon.succession;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.daemon.Daemon;
import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.AllocationsRequest;
import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.api.v1.Hold;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.api.v1.WeftGrpc;
import dev.weft.daemon.config.Settings;
import dev.weft.daemon.support.ApiClient;
import dev.weft.daemon.support.TestDaemons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weftd at a start from a data folder restored from an older copy (real RocksDB): the pods acknowledged after
 * the copy hold their addresses again before anything is served, from libcni's result cache, and a pod the
 * cache does not name keeps its hold (a missing cache file is no proof that a pod is gone).
 */
class ReadmitAtStartTest {
    static final String UNIVERSE = "10.40.0.0/24";

    @TempDir
    Path dir;

    Settings settings() {
        return TestDaemons.lone(dir, UNIVERSE).withSuccession(new SuccessionSettings(false, dir.resolve("results")));
    }

    static String allocate(WeftGrpc.WeftBlockingStub api, String container) {
        return api.allocate(AllocateRequest.newBuilder().setAttachment(Attachment.newBuilder()
                .setContainerId(container).setIfname("eth0")).build()).getAddress();
    }

    static WeftGrpc.WeftBlockingStub ready(ApiClient c) throws InterruptedException {
        WeftGrpc.WeftBlockingStub api = c.blocking();
        for (int i = 0; i < 250 && !api.status(StatusRequest.getDefaultInstance()).getState().equals("ready"); i++) {
            Thread.sleep(20);
        }
        assertThat(api.status(StatusRequest.getDefaultInstance()).getState()).isEqualTo("ready");
        return api;
    }

    static Map<String, String> held(WeftGrpc.WeftBlockingStub api) {
        Map<String, String> out = new TreeMap<>();
        for (Hold h : api.allocations(AllocationsRequest.getDefaultInstance()).getHoldsList()) {
            out.put(h.getAttachment().getContainerId(), h.getAddress());
        }
        return out;
    }

    /** What libcni leaves in its cache after a successful ADD of weft's default network. */
    void cached(String container, String address) throws IOException {
        Files.writeString(dir.resolve("results").resolve("weft-" + container + "-eth0"),
                ResultsCacheTest.cacheFile("weft", container, "eth0", null, ResultsCacheTest.result(address + "/24")));
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(from.relativize(f).toString()));
            }
        }
    }

    static void delete(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void aFolderRestoredFromAnOlderCopyHoldsThePodsAcknowledgedSinceBeforeItServes() throws Exception {
        Files.createDirectories(dir.resolve("results"));
        Path data = settings().dataDir();
        Path backup = dir.resolve("backup");
        String a;
        String b;
        String c;
        try (Daemon d = TestDaemons.start(settings()); ApiClient client = new ApiClient(settings().socket())) {
            WeftGrpc.WeftBlockingStub api = ready(client);
            a = allocate(api, "pod-a");
            c = allocate(api, "pod-c"); // deleted after the backup: the cache does not name it
        }
        copy(data, backup); // the backup job, while weftd is stopped
        try (Daemon d = TestDaemons.start(settings()); ApiClient client = new ApiClient(settings().socket())) {
            WeftGrpc.WeftBlockingStub api = ready(client);
            b = allocate(api, "pod-b"); // acknowledged after the backup
        }
        cached("pod-a", a);
        cached("pod-b", b);
        delete(data);
        copy(backup, data); // the operator restores the older copy

        try (Daemon d = TestDaemons.start(settings()); ApiClient client = new ApiClient(settings().socket())) {
            WeftGrpc.WeftBlockingStub api = ready(client);
            assertThat(held(api)).as("pod-b is held again from the cache, pod-c's hold is not dropped for a missing file")
                    .isEqualTo(Map.of("pod-a", a, "pod-b", b, "pod-c", c));
            String fresh = allocate(api, "pod-d");
            assertThat(fresh).isNotIn(a, b, c);
        }
        assertThat(TestDaemons.FATAL).isEmpty();
    }
}
