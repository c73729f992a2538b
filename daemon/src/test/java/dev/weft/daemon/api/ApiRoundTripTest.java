package dev.weft.daemon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.api.v1.AllocateReply;
import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.AllocationsReply;
import dev.weft.daemon.api.v1.AllocationsRequest;
import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.api.v1.CheckReply;
import dev.weft.daemon.api.v1.CheckRequest;
import dev.weft.daemon.api.v1.GcRequest;
import dev.weft.daemon.api.v1.Hold;
import dev.weft.daemon.api.v1.LeaveRequest;
import dev.weft.daemon.api.v1.PeersReply;
import dev.weft.daemon.api.v1.PeersRequest;
import dev.weft.daemon.api.v1.ReleaseContainerRequest;
import dev.weft.daemon.api.v1.ReleaseReply;
import dev.weft.daemon.api.v1.ReleaseRequest;
import dev.weft.daemon.api.v1.RemovePeerRequest;
import dev.weft.daemon.api.v1.RingReply;
import dev.weft.daemon.api.v1.RingRequest;
import dev.weft.daemon.api.v1.StatusReply;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.api.v1.WeftGrpc;
import dev.weft.daemon.support.ApiClient;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every API call and every error, through a real daemon on a real unix socket. */
class ApiRoundTripTest {
    @TempDir
    static Path dir;
    static Daemon daemon;
    static ApiClient client;
    static WeftGrpc.WeftBlockingStub api;

    @BeforeAll
    static void start() throws Exception {
        Prerequisites.epoll();
        daemon = TestDaemons.start(TestDaemons.lone(dir, "10.40.0.0/24"));
        client = new ApiClient(daemon.socket());
        api = client.blocking();
        // The lone seed forms its ring at its first tick.
        for (int i = 0; i < 100 && !api.status(StatusRequest.getDefaultInstance()).getState().equals("ready"); i++) {
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    static Attachment att(String cid, String ifname) {
        return Attachment.newBuilder().setContainerId(cid).setIfname(ifname).build();
    }

    static AllocateReply allocate(String cid) {
        return api.allocate(AllocateRequest.newBuilder().setAttachment(att(cid, "eth0")).build());
    }

    static void assertStatus(ThrowingCallable call, Status.Code code, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(messagePart);
        });
    }

    @Test
    void socketIsOnlyForOwnerAndGroup() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket()))).isEqualTo("rw-rw----");
    }

    @Test
    void allocateIsIdempotentPerAttachment() {
        AllocateReply a = allocate("idem");
        assertThat(a.getAddress()).startsWith("10.40.0.");
        assertThat(a.getPrefix()).isEqualTo(24);
        assertThat(allocate("idem").getAddress()).isEqualTo(a.getAddress());
        assertThat(api.allocate(AllocateRequest.newBuilder().setAttachment(att("idem", "net1")).build()).getAddress())
                .isNotEqualTo(a.getAddress());
    }

    @Test
    void allocateInsideASubnet() {
        AllocateReply a = api.allocate(AllocateRequest.newBuilder().setAttachment(att("sub", "eth0"))
                .setSubnet("10.40.0.128/26").build());
        int last = Integer.parseInt(a.getAddress().substring(a.getAddress().lastIndexOf('.') + 1));
        assertThat(last).isBetween(128, 191);
    }

    @Test
    void claimAnExactAddressAndRefuseItToAnother() {
        assertThat(api.allocate(AllocateRequest.newBuilder().setAttachment(att("sticky", "eth0"))
                .setAddress("10.40.0.200").build()).getAddress()).isEqualTo("10.40.0.200");
        assertStatus(() -> api.allocate(AllocateRequest.newBuilder().setAttachment(att("thief", "eth0"))
                .setAddress("10.40.0.200").build()), Status.Code.ALREADY_EXISTS, "");
    }

    @Test
    void badRequestsAreInvalidArgument() {
        assertStatus(() -> api.allocate(AllocateRequest.getDefaultInstance()), Status.Code.INVALID_ARGUMENT,
                "container_id and ifname");
        assertStatus(() -> api.allocate(AllocateRequest.newBuilder().setAttachment(att("b", "eth0"))
                .setSubnet("10.40.0.1/24").build()), Status.Code.INVALID_ARGUMENT, "host bits");
        assertStatus(() -> api.allocate(AllocateRequest.newBuilder().setAttachment(att("b", "eth0"))
                .setSubnet("10.99.0.0/24").build()), Status.Code.INVALID_ARGUMENT, "not inside");
        assertStatus(() -> api.allocate(AllocateRequest.newBuilder().setAttachment(att("b", "eth0"))
                .setSubnet("10.40.0.0/25").setAddress("10.40.0.3").build()), Status.Code.INVALID_ARGUMENT, "not both");
        assertStatus(() -> api.allocate(AllocateRequest.newBuilder().setAttachment(att("b", "eth0"))
                .setAddress("10.40.0.300").build()), Status.Code.INVALID_ARGUMENT, "not an IPv4 address");
        assertStatus(() -> api.releaseContainer(ReleaseContainerRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, "container_id");
        assertStatus(() -> api.allocations(AllocationsRequest.newBuilder().setLimit(-1).build()),
                Status.Code.INVALID_ARGUMENT, "limit");
        assertStatus(() -> api.gc(GcRequest.newBuilder().addValid(att("", "eth0")).build()),
                Status.Code.INVALID_ARGUMENT, "gc");
        assertStatus(() -> api.removePeer(RemovePeerRequest.getDefaultInstance()), Status.Code.INVALID_ARGUMENT,
                "name");
    }

    @Test
    void releaseFreesAndIsIdempotent() {
        String address = allocate("rel").getAddress();
        ReleaseReply r = api.release(ReleaseRequest.newBuilder().setAttachment(att("rel", "eth0")).build());
        assertThat(r.getFreedList()).extracting(Hold::getAddress).containsExactly(address);
        assertThat(api.release(ReleaseRequest.newBuilder().setAttachment(att("rel", "eth0")).build()).getFreedList())
                .isEmpty();
    }

    @Test
    void releaseContainerFreesEveryInterface() {
        allocate("multi");
        api.allocate(AllocateRequest.newBuilder().setAttachment(att("multi", "net1")).build());
        ReleaseReply r = api.releaseContainer(ReleaseContainerRequest.newBuilder().setContainerId("multi").build());
        assertThat(r.getFreedList()).extracting(h -> h.getAttachment().getIfname())
                .containsExactlyInAnyOrder("eth0", "net1");
    }

    @Test
    void networksAreKeptApartInAllocationsReleaseAndGc() {
        Attachment onWeft = att("two-nets", "eth0");
        Attachment onStorage = onWeft.toBuilder().setNetwork("storage").build();
        String a = api.allocate(AllocateRequest.newBuilder().setAttachment(onWeft).build()).getAddress();
        String b = api.allocate(AllocateRequest.newBuilder().setAttachment(onStorage).build()).getAddress();
        assertThat(b).isNotEqualTo(a);
        List<Hold> listed = api.allocations(AllocationsRequest.newBuilder().setContainerId("two-nets").build())
                .getHoldsList();
        assertThat(listed).extracting(h -> h.getAttachment().getNetwork() + "=" + h.getAddress())
                .containsExactlyInAnyOrder("weft=" + a, "storage=" + b);

        assertStatus(() -> api.gc(GcRequest.newBuilder().setNetwork("storage")
                .addValid(onWeft.toBuilder().setNetwork("weft")).build()), Status.Code.INVALID_ARGUMENT, "one GC per network");
        assertStatus(() -> api.releaseContainer(ReleaseContainerRequest.newBuilder().setContainerId("two-nets")
                .setNetwork("a/b").build()), Status.Code.INVALID_ARGUMENT, "CNI network name");
        assertStatus(() -> api.allocate(AllocateRequest.newBuilder().setAttachment(onWeft.toBuilder().setNetwork(" x"))
                .build()), Status.Code.INVALID_ARGUMENT, "CNI network name");

        ReleaseReply released = api.releaseContainer(ReleaseContainerRequest.newBuilder().setContainerId("two-nets")
                .setNetwork("storage").build());
        assertThat(released.getFreedList()).extracting(Hold::getAddress).containsExactly(b);
        assertThat(api.check(CheckRequest.newBuilder().setAttachment(onWeft).build()).getAddress()).isEqualTo(a);

        // A GC of the storage network listing nothing valid frees what is on it, and nothing on "weft".
        api.allocate(AllocateRequest.newBuilder().setAttachment(onStorage).build());
        ReleaseReply collected = api.gc(GcRequest.newBuilder().setNetwork("storage").build());
        assertThat(collected.getFreedList()).extracting(h -> h.getAttachment().getContainerId() + "@"
                + h.getAttachment().getNetwork()).containsExactly("two-nets@storage");
        assertThat(api.check(CheckRequest.newBuilder().setAttachment(onWeft).build()).getHeld()).isTrue();
    }

    @Test
    void checkTellsHeldFromNotHeldAndWrongAddress() {
        String address = allocate("chk").getAddress();
        CheckReply held = api.check(CheckRequest.newBuilder().setAttachment(att("chk", "eth0")).build());
        assertThat(held.getHeld()).isTrue();
        assertThat(held.getAddress()).isEqualTo(address);
        assertThat(api.check(CheckRequest.newBuilder().setAttachment(att("nobody", "eth0")).build()).getHeld())
                .isFalse();
        assertStatus(() -> api.check(CheckRequest.newBuilder().setAttachment(att("chk", "eth0"))
                .setAddress("10.40.0.254").build()), Status.Code.ALREADY_EXISTS, "not 10.40.0.254");
        assertStatus(() -> api.check(CheckRequest.newBuilder().setAttachment(att("nobody", "eth0"))
                .setAddress("10.40.0.254").build()), Status.Code.NOT_FOUND, "holds no address");
    }

    @Test
    void gcKeepsOnlyTheValidAttachments() {
        // A daemon of its own: GC releases everything not listed, which would disturb the other tests.
        allocate("gc-keep");
        allocate("gc-drop");
        List<Attachment> valid = api.allocations(AllocationsRequest.getDefaultInstance()).getHoldsList().stream()
                .map(Hold::getAttachment).filter(a -> !a.getContainerId().equals("gc-drop")).toList();
        ReleaseReply r = api.gc(GcRequest.newBuilder().addAllValid(valid).build());
        assertThat(r.getFreedList()).extracting(h -> h.getAttachment().getContainerId()).containsExactly("gc-drop");
        assertThat(api.check(CheckRequest.newBuilder().setAttachment(att("gc-keep", "eth0")).build()).getHeld())
                .isTrue();
    }

    @Test
    void statusRingAndPeersDescribeALonePeer() {
        allocate("st");
        StatusReply s = api.status(StatusRequest.getDefaultInstance());
        assertThat(s.getState()).isEqualTo("ready");
        assertThat(s.getSelf()).startsWith("solo#");
        assertThat(s.getUniverse()).isEqualTo("10.40.0.0/24");
        assertThat(s.getOwned()).isEqualTo(256);
        assertThat(s.getHeld()).isPositive();
        assertThat(s.getRingEntries()).isEqualTo(1);
        assertThat(s.getConflicts()).isZero();

        RingReply ring = api.ring(RingRequest.getDefaultInstance());
        assertThat(ring.getUniverse()).isEqualTo("10.40.0.0/24");
        assertThat(ring.getEntriesList()).singleElement().satisfies(e -> {
            assertThat(e.getRange()).isEqualTo("10.40.0.0/24");
            assertThat(e.getOwner()).isEqualTo(s.getSelf());
            assertThat(e.getReachable()).isTrue();
            assertThat(e.getVersion()).isPositive();
        });

        PeersReply peers = api.peers(PeersRequest.getDefaultInstance());
        assertThat(peers.getPeersList()).singleElement().satisfies(p -> {
            assertThat(p.getSelf()).isTrue();
            assertThat(p.getOwned()).isEqualTo(256);
        });
    }

    @Test
    void allocationsFilterByContainerAndSubnetWithALimit() {
        allocate("list-a");
        allocate("list-b");
        AllocationsReply byContainer = api.allocations(AllocationsRequest.newBuilder().setContainerId("list-a").build());
        assertThat(byContainer.getHoldsList()).extracting(h -> h.getAttachment().getContainerId())
                .containsExactly("list-a");
        AllocationsReply limited = api.allocations(AllocationsRequest.newBuilder().setLimit(1).build());
        assertThat(limited.getHoldsCount()).isEqualTo(1);
        assertThat(limited.getTruncated()).isTrue();
        AllocationsReply none = api.allocations(AllocationsRequest.newBuilder().setSubnet("10.40.0.252/30").build());
        assertThat(none.getHoldsList()).allSatisfy(h -> assertThat(h.getAddress()).startsWith("10.40.0.25"));
    }

    @Test
    void removeAnUnknownPeerIsNotFound() {
        assertStatus(() -> api.removePeer(RemovePeerRequest.newBuilder().setPeer("ghost").build()),
                Status.Code.NOT_FOUND, "ghost");
    }

    @Test
    void leaveWithAddressesHeldIsRefusedAsUnsafe() {
        allocate("leave-blocker");
        assertStatus(() -> api.leave(LeaveRequest.getDefaultInstance()), Status.Code.FAILED_PRECONDITION,
                "still held");
        // Forced, with nobody to take the ranges: still refused, and the peer keeps serving.
        assertStatus(() -> api.leave(LeaveRequest.newBuilder().setForce(true).build()), Status.Code.FAILED_PRECONDITION,
                "no live peer");
        assertThat(allocate("after-leave").getAddress()).startsWith("10.40.0.");
    }

    @Test
    void aFormingPeerSaysTryLaterNotBadRequestNorInUse(@TempDir Path other) throws Exception {
        // Waits for a second seed that never comes: the ring stays forming.
        try (Daemon forming = TestDaemons.start(TestDaemons.settings(other, "a", "10.41.0.0/24",
                new Bootstrap.Seeds(List.of("a", "b"))));
                ApiClient c = new ApiClient(forming.socket())) {
            WeftGrpc.WeftBlockingStub f = c.blocking();
            assertStatus(() -> f.allocate(AllocateRequest.newBuilder().setAttachment(att("x", "eth0")).build()),
                    Status.Code.UNAVAILABLE, "try again later");
            assertThat(f.status(StatusRequest.getDefaultInstance()).getState()).isEqualTo("forming");
            assertStatus(() -> f.ring(RingRequest.getDefaultInstance()), Status.Code.UNAVAILABLE, "forming");
            assertStatus(() -> f.removePeer(RemovePeerRequest.newBuilder().setPeer("b").build()),
                    Status.Code.UNAVAILABLE, "try again later");
        }
    }
}
