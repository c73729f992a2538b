package dev.weft.daemon.api;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import dev.weft.core.node.Input;
import dev.weft.core.node.Result;
import dev.weft.core.peer.PeerId;
import dev.weft.core.space.Attachment;
import dev.weft.daemon.api.v1.AllocateReply;
import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.AllocationsReply;
import dev.weft.daemon.api.v1.AllocationsRequest;
import dev.weft.daemon.api.v1.CheckReply;
import dev.weft.daemon.api.v1.CheckRequest;
import dev.weft.daemon.api.v1.CommandReply;
import dev.weft.daemon.api.v1.ConflictsReply;
import dev.weft.daemon.api.v1.ConflictsRequest;
import dev.weft.daemon.api.v1.GapsReply;
import dev.weft.daemon.api.v1.GapsRequest;
import dev.weft.daemon.api.v1.GcRequest;
import dev.weft.daemon.api.v1.LeaveRequest;
import dev.weft.daemon.api.v1.PeersReply;
import dev.weft.daemon.api.v1.PeersRequest;
import dev.weft.daemon.api.v1.ReclaimGapRequest;
import dev.weft.daemon.api.v1.ReleaseContainerRequest;
import dev.weft.daemon.api.v1.ReleaseReply;
import dev.weft.daemon.api.v1.ReleaseRequest;
import dev.weft.daemon.api.v1.RemovePeerRequest;
import dev.weft.daemon.api.v1.RingReply;
import dev.weft.daemon.api.v1.RingRequest;
import dev.weft.daemon.api.v1.SettleRequest;
import dev.weft.daemon.api.v1.StatusReply;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.api.v1.WeftGrpc;
import dev.weft.daemon.loop.CoreGateway;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The local API: turns each call into a core request or a read through the {@link CoreGateway}, and each
 * answer into a reply or a typed status (see {@link Answers}). No call touches the core directly.
 */
public final class WeftService extends WeftGrpc.WeftImplBase {
    /** Allocations listed when the caller gives no limit; a reply stays well under gRPC's 4 MiB default. */
    static final int DEFAULT_LIST_LIMIT = 10_000;
    static final int MAX_LIST_LIMIT = 30_000;

    private final CoreGateway core;
    private final Cidr universe;
    private final Supplier<Map<PeerId, Long>> lastHeard;
    private final Supplier<Map<Attachment, String>> pods;
    private final Supplier<String> succession;
    private final RemovalGrace grace;

    /** @param lastHeard when each install was last heard from (the transport's view; empty before it starts) */
    public WeftService(CoreGateway core, Cidr universe, Supplier<Map<PeerId, Long>> lastHeard) {
        this(core, universe, lastHeard, Map::of);
    }

    /** @param pods the pod (namespace/name) of each attachment the CNI endpoint knows one for */
    public WeftService(CoreGateway core, Cidr universe, Supplier<Map<PeerId, Long>> lastHeard,
            Supplier<Map<Attachment, String>> pods) {
        this(core, universe, lastHeard, pods, () -> "", RemovalGrace.STANDARD);
    }

    /**
     * @param succession what succession of earlier installs under this name is doing, for status
     * @param grace how long a peer must have been silent before rmpeer (not forced) removes it
     */
    public WeftService(CoreGateway core, Cidr universe, Supplier<Map<PeerId, Long>> lastHeard,
            Supplier<Map<Attachment, String>> pods, Supplier<String> succession, RemovalGrace grace) {
        this.core = core;
        this.universe = universe;
        this.lastHeard = lastHeard;
        this.pods = pods;
        this.succession = succession;
        this.grace = grace;
    }

    @Override
    public void allocate(AllocateRequest req, StreamObserver<AllocateReply> obs) {
        Attachment who;
        Cidr within;
        long address;
        try {
            who = Wire.attachment(req.getAttachment(), "allocate");
            within = Wire.cidr(req.getSubnet());
            address = req.getAddress().isEmpty() ? -1 : IPv4.parse(req.getAddress());
            if (within != null && address >= 0) {
                throw new IllegalArgumentException("give either a subnet or an exact address, not both");
            }
        } catch (IllegalArgumentException e) {
            obs.onError(Answers.badRequest(e.getMessage()));
            return;
        }
        CompletableFuture<Result> f = address >= 0
                ? core.submit(id -> new Input.Claim(id, who, address))
                : core.submit(id -> new Input.Allocate(id, who, within));
        reply(f, obs, r -> {
            if (r instanceof Result.Assigned a) {
                return AllocateReply.newBuilder().setAddress(IPv4.format(a.address())).setPrefix(universe.prefix())
                        .build();
            }
            throw Answers.failure(r);
        });
    }

    @Override
    public void release(ReleaseRequest req, StreamObserver<ReleaseReply> obs) {
        Attachment who;
        try {
            who = Wire.attachment(req.getAttachment(), "release");
        } catch (IllegalArgumentException e) {
            obs.onError(Answers.badRequest(e.getMessage()));
            return;
        }
        reply(core.submit(id -> new Input.Release(id, who)), obs, WeftService::released);
    }

    @Override
    public void releaseContainer(ReleaseContainerRequest req, StreamObserver<ReleaseReply> obs) {
        String container = req.getContainerId();
        if (container.isBlank()) {
            obs.onError(Answers.badRequest("release-container needs a container_id"));
            return;
        }
        String network;
        try {
            network = Wire.network(req.getNetwork());
        } catch (IllegalArgumentException e) {
            obs.onError(Answers.badRequest(e.getMessage()));
            return;
        }
        reply(core.submit(id -> new Input.ReleaseContainer(id, container, network)), obs, WeftService::released);
    }

    @Override
    public void gc(GcRequest req, StreamObserver<ReleaseReply> obs) {
        Set<Attachment> valid = new HashSet<>();
        String network;
        Input.Gc gc;
        try {
            network = Wire.network(req.getNetwork());
            for (dev.weft.daemon.api.v1.Attachment a : req.getValidList()) {
                // A valid attachment without a network is on the GC's network, not on the default one.
                valid.add(Wire.attachment(a.getNetwork().isEmpty() ? a.toBuilder().setNetwork(network).build() : a,
                        "gc"));
            }
            gc = new Input.Gc(0, valid, network); // the core's own check: every attachment on that network
        } catch (IllegalArgumentException e) {
            obs.onError(Answers.badRequest(e.getMessage()));
            return;
        }
        reply(core.submit(id -> new Input.Gc(id, gc.valid(), gc.network())), obs, WeftService::released);
    }

    private static ReleaseReply released(Result r) {
        if (r instanceof Result.Released rel) {
            ReleaseReply.Builder b = ReleaseReply.newBuilder();
            rel.freed().forEach(h -> b.addFreed(Wire.hold(h)));
            return b.build();
        }
        throw Answers.failure(r);
    }

    @Override
    public void check(CheckRequest req, StreamObserver<CheckReply> obs) {
        Attachment who;
        long expected;
        try {
            who = Wire.attachment(req.getAttachment(), "check");
            expected = req.getAddress().isEmpty() ? -1 : IPv4.parse(req.getAddress());
        } catch (IllegalArgumentException e) {
            obs.onError(Answers.badRequest(e.getMessage()));
            return;
        }
        reply(core.read(p -> p.space().addressOf(who)), obs, held -> {
            if (expected >= 0 && held != expected) {
                if (held < 0) {
                    throw io.grpc.Status.NOT_FOUND.withDescription(who + " holds no address on this node (expected "
                            + IPv4.format(expected) + "): add the attachment again").asRuntimeException();
                }
                throw io.grpc.Status.ALREADY_EXISTS.withDescription(who + " holds " + IPv4.format(held) + ", not "
                        + IPv4.format(expected)).asRuntimeException();
            }
            CheckReply.Builder b = CheckReply.newBuilder().setHeld(held >= 0);
            if (held >= 0) {
                b.setAddress(IPv4.format(held));
            }
            return b.build();
        });
    }

    @Override
    public void status(StatusRequest req, StreamObserver<StatusReply> obs) {
        reply(core.read(p -> Views.status(p.status(), universe)), obs,
                r -> r.toBuilder().setSuccession(succession.get()).build());
    }

    @Override
    public void ring(RingRequest req, StreamObserver<RingReply> obs) {
        reply(core.read(Views::ring), obs, WeftService::formed);
    }

    @Override
    public void peers(PeersRequest req, StreamObserver<PeersReply> obs) {
        Map<PeerId, Long> heard = lastHeard.get();
        reply(core.read(p -> Views.peers(p, heard)), obs, Function.identity());
    }

    @Override
    public void allocations(AllocationsRequest req, StreamObserver<AllocationsReply> obs) {
        Range within;
        try {
            Cidr c = Wire.cidr(req.getSubnet());
            within = c == null ? null : c.range();
            if (req.getLimit() < 0 || req.getLimit() > MAX_LIST_LIMIT) {
                throw new IllegalArgumentException("limit " + req.getLimit() + " is out of range: give 1 to "
                        + MAX_LIST_LIMIT + ", or 0 for " + DEFAULT_LIST_LIMIT);
            }
        } catch (IllegalArgumentException e) {
            obs.onError(Answers.badRequest(e.getMessage()));
            return;
        }
        int limit = req.getLimit() == 0 ? DEFAULT_LIST_LIMIT : req.getLimit();
        String container = req.getContainerId();
        Map<Attachment, String> named = pods.get();
        reply(core.read(p -> Views.allocations(p, container, within, limit, named, req.getFenced())), obs, Function.identity());
    }

    @Override
    public void removePeer(RemovePeerRequest req, StreamObserver<CommandReply> obs) {
        String name = req.getPeer();
        if (name.isBlank()) {
            obs.onError(Answers.badRequest("remove-peer needs the peer's name, or name#uid"));
            return;
        }
        if (!req.getForce()) {
            String why = grace.heardRecently(name, lastHeard.get(), System.currentTimeMillis());
            if (why != null) {
                obs.onError(io.grpc.Status.FAILED_PRECONDITION.withDescription(why).asRuntimeException());
                return;
            }
        }
        reply(core.submit(id -> new Input.RemovePeer(id, name, req.getForce())), obs, WeftService::done);
    }

    @Override
    public void leave(LeaveRequest req, StreamObserver<CommandReply> obs) {
        reply(core.submit(id -> new Input.Leave(id, req.getForce())), obs, WeftService::done);
    }

    @Override
    public void conflicts(ConflictsRequest req, StreamObserver<ConflictsReply> obs) {
        reply(core.read(p -> ConflictView.conflicts(p.ring())), obs, WeftService::formed);
    }

    @Override
    public void settle(SettleRequest req, StreamObserver<CommandReply> obs) {
        Range range;
        String owner = req.getOwner().trim();
        try {
            range = RangeText.parse(req.getRange());
            if (owner.isEmpty()) {
                throw new IllegalArgumentException("settle needs the owner to keep " + range + ": one of its"
                        + " claimants as weft conflicts lists them (name#uid)");
            }
        } catch (IllegalArgumentException e) {
            obs.onError(Answers.badRequest(e.getMessage()));
            return;
        }
        // The name is resolved against the ring first; the core checks the claim again when it settles.
        CompletableFuture<Result> f = core.read(p -> ConflictView.claimant(p.ring(), range, owner))
                .thenCompose(winner -> core.submit(id -> new Input.Settle(id, range, winner)));
        reply(f, obs, WeftService::done);
    }

    @Override
    public void gaps(GapsRequest req, StreamObserver<GapsReply> obs) {
        reply(core.read(p -> GapView.gaps(p.ring())), obs, WeftService::formed);
    }

    @Override
    public void reclaimGap(ReclaimGapRequest req, StreamObserver<CommandReply> obs) {
        Range range;
        try {
            range = RangeText.parse(req.getRange());
        } catch (IllegalArgumentException e) {
            obs.onError(Answers.badRequest(e.getMessage()));
            return;
        }
        // The core answers once every known install has (up to its own deadline), or at once when it refuses.
        reply(core.submit(id -> new Input.ReclaimGap(id, range)), obs, WeftService::done);
    }

    /** A view of the ring, or "forming" (UNAVAILABLE) while this peer has none yet. */
    private static <T> T formed(T view) {
        if (view == null) {
            throw Answers.forming();
        }
        return view;
    }

    private static CommandReply done(Result r) {
        if (r instanceof Result.Done d) {
            return CommandReply.newBuilder().setMessage(d.message()).build();
        }
        throw Answers.failure(r);
    }

    private static <T, R> void reply(CompletableFuture<T> f, StreamObserver<R> obs, Function<T, R> map) {
        f.whenComplete((value, error) -> {
            if (error != null) {
                obs.onError(Answers.unanswered(error));
                return;
            }
            R out;
            try {
                out = map.apply(value);
            } catch (StatusRuntimeException e) {
                obs.onError(e);
                return;
            }
            obs.onNext(out);
            obs.onCompleted();
        });
    }
}
