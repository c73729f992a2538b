package dev.weft.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.api.v1.AllocateReply;
import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.AllocationsRequest;
import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.api.v1.Hold;
import dev.weft.daemon.api.v1.StatusReply;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.api.v1.WeftGrpc;
import dev.weft.daemon.config.Settings;
import dev.weft.daemon.store.StoreRefusedException;
import dev.weft.daemon.support.ApiClient;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stop and start again on the same data folder: everything held comes back; bad folders are refused. */
class DaemonRestartTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsEpoll() {
        Prerequisites.epoll();
    }

    static WeftGrpc.WeftBlockingStub awaitReady(ApiClient c) throws InterruptedException {
        WeftGrpc.WeftBlockingStub api = c.blocking();
        for (int i = 0; i < 200; i++) {
            if (api.status(StatusRequest.getDefaultInstance()).getState().equals("ready")) {
                return api;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not ready: " + api.status(StatusRequest.getDefaultInstance()));
    }

    /** Allocates {@code n} attachments, 256 in flight at a time; returns attachment -> address. */
    static Map<String, String> allocateMany(ApiClient c, String prefix, int n) throws Exception {
        Map<String, String> out = new HashMap<>();
        ArrayDeque<Map.Entry<String, ListenableFuture<AllocateReply>>> inFlight = new ArrayDeque<>();
        WeftGrpc.WeftFutureStub api = c.async();
        for (int i = 0; i < n || !inFlight.isEmpty(); ) {
            if (i < n && inFlight.size() < 256) {
                String cid = prefix + i++;
                inFlight.add(Map.entry(cid, api.allocate(AllocateRequest.newBuilder()
                        .setAttachment(Attachment.newBuilder().setContainerId(cid).setIfname("eth0")).build())));
            } else {
                var e = inFlight.poll();
                out.put(e.getKey(), e.getValue().get().getAddress());
            }
        }
        return out;
    }

    static Map<String, String> held(WeftGrpc.WeftBlockingStub api) {
        Map<String, String> out = new HashMap<>();
        for (Hold h : api.allocations(AllocationsRequest.newBuilder().setLimit(30_000).build()).getHoldsList()) {
            out.put(h.getAttachment().getContainerId(), h.getAddress());
        }
        return out;
    }

    @Test
    void tenThousandAllocationsComeBackAfterARestart() throws Exception {
        Settings s = TestDaemons.lone(dir, "10.50.0.0/16");
        Map<String, String> given;
        String self;
        try (Daemon d = TestDaemons.start(s); ApiClient c = new ApiClient(d.socket())) {
            self = awaitReady(c).status(StatusRequest.getDefaultInstance()).getSelf();
            given = allocateMany(c, "pod-", 10_000);
        }
        assertThat(given.values()).doesNotHaveDuplicates().hasSize(10_000);
        try (Daemon d = TestDaemons.start(s); ApiClient c = new ApiClient(d.socket())) {
            WeftGrpc.WeftBlockingStub api = awaitReady(c);
            StatusReply st = api.status(StatusRequest.getDefaultInstance());
            assertThat(st.getSelf()).as("the same install, not a new one").isEqualTo(self);
            assertThat(st.getHeld()).isEqualTo(10_000);
            assertThat(held(api)).isEqualTo(given);
            // Asking again gives the same address, and new attachments get new ones.
            assertThat(allocateMany(c, "pod-", 100)).allSatisfy((k, v) -> assertThat(v).isEqualTo(given.get(k)));
            assertThat(allocateMany(c, "new-", 100).values()).doesNotContainAnyElementsOf(given.values());
        }
    }

    @Test
    void anEmptyFolderIsANewInstallWithANewUid() throws Exception {
        Settings s = TestDaemons.lone(dir.resolve("one"), "10.50.0.0/24");
        Settings t = TestDaemons.lone(dir.resolve("two"), "10.50.0.0/24");
        try (Daemon a = TestDaemons.start(s); ApiClient ca = new ApiClient(a.socket());
                Daemon b = TestDaemons.start(t); ApiClient cb = new ApiClient(b.socket())) {
            String ida = awaitReady(ca).status(StatusRequest.getDefaultInstance()).getSelf();
            String idb = awaitReady(cb).status(StatusRequest.getDefaultInstance()).getSelf();
            assertThat(ida).startsWith("solo#").isNotEqualTo(idb);
        }
    }

    @Test
    void aSecondDaemonOnOneFolderIsRefused() throws Exception {
        Settings s = TestDaemons.lone(dir, "10.50.0.0/24");
        Settings other = TestDaemons.withSocket(s, dir.resolve("second.sock"));
        try (Daemon d = TestDaemons.start(s)) {
            assertThatThrownBy(() -> TestDaemons.start(other)).isInstanceOf(StoreRefusedException.class)
                    .hasMessageContaining("in use by another weftd");
            try (ApiClient c = new ApiClient(d.socket())) {
                assertThat(awaitReady(c).status(StatusRequest.getDefaultInstance()).getState()).isEqualTo("ready");
            }
        }
    }

    @Test
    void aStoreOfAnotherAddressSpaceIsRefused() throws Exception {
        Settings s = TestDaemons.lone(dir, "10.50.0.0/24");
        try (Daemon d = TestDaemons.start(s); ApiClient c = new ApiClient(d.socket())) {
            awaitReady(c);
        }
        Settings wider = TestDaemons.lone(dir, "10.50.0.0/23");
        assertThatThrownBy(() -> TestDaemons.start(wider)).isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("belongs to address space").hasMessageContaining("move the data folder aside");
    }

    @Test
    void aStoreOfAnotherPeerNameIsRefused() throws Exception {
        Settings s = TestDaemons.lone(dir, "10.50.0.0/24");
        try (Daemon d = TestDaemons.start(s); ApiClient c = new ApiClient(d.socket())) {
            awaitReady(c);
        }
        Settings renamed = TestDaemons.settings(dir, "other", "10.50.0.0/24", new Bootstrap.Seeds(List.of("other")));
        assertThatThrownBy(() -> TestDaemons.start(renamed)).isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("belongs to peer 'solo'").hasMessageContaining("--name solo");
    }
}
