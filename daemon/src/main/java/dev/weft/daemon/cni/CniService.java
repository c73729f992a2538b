package dev.weft.daemon.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.node.Input;
import dev.weft.core.node.Result;
import dev.weft.core.space.Attachment;
import dev.weft.daemon.loop.CoreGateway;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every CNI verb, as the daemon answers it: the plugin only forwards its variables and stdin here.
 *
 * <p>Ordering: the loop serves requests in the order they are submitted. ADD notes its attachment and
 * submits its allocation under the shared side of {@link #order}; GC and a spooled DEL decide what to free
 * and submit under the exclusive side. So a GC never frees an ADD that arrived after it, and a spooled DEL
 * never frees an attachment re-ADDed after the DEL was spooled.
 *
 * <p>The ADD time must outlive a crash only when a spooled DEL could be older than the ADD; such a DEL is
 * in the spool folder before the ADD arrives, so a note is synced only when the spool holds something.
 */
public final class CniService {
    private static final Logger LOG = LoggerFactory.getLogger(CniService.class);

    private final CoreGateway core;
    private final AttachmentNotes notes;
    private final NodeGateways gateways;
    private final LongSupplier clockNanos;
    /** Where answers are finished (file removals, JSON), so nothing slow runs on the loop's thread. */
    private final Executor after;
    private final BooleanSupplier spoolPending;
    private final ReadWriteLock order = new ReentrantReadWriteLock();
    private volatile Cidr universe;

    /** @param clockNanos wall-clock nanoseconds since the epoch (the plugin stamps spooled DELs with the same clock) */
    public CniService(CoreGateway core, AttachmentNotes notes, LongSupplier clockNanos, Executor after,
            BooleanSupplier spoolPending) {
        this.core = core;
        this.notes = notes;
        this.gateways = new NodeGateways(core);
        this.clockNanos = clockNanos;
        this.after = after;
        this.spoolPending = spoolPending;
    }

    /** Answers one forwarded call. Never completes exceptionally: every failure is a CNI error answer. */
    public CompletableFuture<CniAnswer> handle(CniRequest request) {
        String version = CniVersions.LATEST;
        try {
            CniEnv env = CniEnv.parse(request.env());
            if (env.verb() == Verb.VERSION) {
                return done(CniAnswer.ok(CniJson.versionInfo()));
            }
            JsonNode root = CniJson.decode(request.stdin());
            version = NetConf.version(root);
            String v = version;
            return dispatch(env, root, v, universe()).exceptionally(e -> CniFailures.error(v, CniFailures.unwrap(e)));
        } catch (CniError e) {
            return done(CniFailures.error(bestVersion(request, version), e));
        } catch (RuntimeException e) {
            return done(CniFailures.error(version, CniFailures.unwrap(e)));
        }
    }

    /**
     * Carries out a DEL the plugin spooled at {@code spooledAt} while the daemon was away; dropped when the
     * attachment was ADDed again at or after that time.
     */
    public CompletableFuture<CniAnswer> replaySpooled(CniRequest request, long spooledAt) {
        try {
            CniEnv env = CniEnv.parse(request.env());
            if (env.verb() != Verb.DEL) {
                throw new CniError(CniError.BAD_ENVIRONMENT, "a spooled request must be a DEL, got " + env.verb(),
                        "only DEL is spooled: remove the file");
            }
            JsonNode root = CniJson.decode(request.stdin());
            String version = NetConf.version(root);
            Attachment a = attachment(env, NetConf.text(root, "name", true));
            String key = key(a);
            order.writeLock().lock();
            try {
                Note note = notes.get(key).orElse(null);
                if (note != null && note.addedAt() >= spooledAt) {
                    LOG.info("spooled DEL of {} dropped: it was ADDed again after the DEL was spooled", a);
                    return done(CniAnswer.ok(""));
                }
                return release(a, note, version);
            } finally {
                order.writeLock().unlock();
            }
        } catch (CniError e) {
            return done(CniFailures.error(CniVersions.LATEST, e));
        }
    }

    private CompletableFuture<CniAnswer> dispatch(CniEnv env, JsonNode root, String version, Cidr universe) {
        try {
            switch (env.verb()) {
                case ADD:
                    return add(env, NetConf.parse(root, universe), universe);
                case DEL: {
                    Attachment a = attachment(env, NetConf.text(root, "name", true));
                    return release(a, notes.get(key(a)).orElse(null), version);
                }
                case CHECK:
                    return check(env, root, version, universe);
                case GC:
                    return gc(root, version);
                case STATUS:
                    return status(root, version, universe);
                default:
                    throw new CniError(CniError.BAD_ENVIRONMENT, "CNI_COMMAND " + env.verb() + " is not served here",
                            "use ADD, DEL, CHECK, GC, STATUS or VERSION");
            }
        } catch (CniError e) {
            return done(CniFailures.error(version, e));
        }
    }

    private CompletableFuture<CniAnswer> add(CniEnv env, NetConf conf, Cidr universe) throws CniError {
        long requested = requested(env, conf, universe);
        Attachment a = attachment(env, conf.name());
        Note note = new Note(conf.name(), env.containerId(), env.ifname(), env.podNamespace(), env.podName(),
                env.podUid(), clockNanos.getAsLong());
        // The shared side is held until the allocation is queued (see the class comment); the gateway comes
        // first so a GC can never see the pod's hold without the gateway's.
        order.readLock().lock();
        try {
            Result gateway = gateways.ensure(conf.name(), conf.subnet()).join();
            if (!(gateway instanceof Result.Assigned g)) {
                return done(CniFailures.error(conf.cniVersion(), CniFailures.refusal(gateway, "the node's gateway address")));
            }
            notes.put(note, spoolPending.getAsBoolean());
            return core.submit(id -> requested >= 0 ? new Input.Claim(id, a, requested)
                    : new Input.Allocate(id, a, conf.subnet()))
                    // A few microseconds of JSON, done where the answer lands: one thread hop less per ADD.
                    .thenApply(p -> p instanceof Result.Assigned as
                            ? CniAnswer.ok(CniJson.result(conf, as.address(), conf.prefix(universe), g.address()))
                            : CniFailures.error(conf.cniVersion(), CniFailures.refusal(p, "an address")));
        } catch (IOException e) {
            throw new CniError(CniError.IO_FAILURE, "weftd could not record " + a + ": " + e.getMessage(),
                    "check the weft state folder (disk full, permissions)");
        } finally {
            order.readLock().unlock();
        }
    }

    /** {@code IP=} in CNI_ARGS, or args.cni.ips / runtimeConfig.ips: one address at most. */
    private static long requested(CniEnv env, NetConf conf, Cidr universe) throws CniError {
        String ip = env.args().get("IP");
        if (ip == null) {
            return conf.requested();
        }
        long fromArgs = RequestedAddress.parse(ip, "CNI_ARGS IP", CniError.BAD_ENVIRONMENT);
        Cidr space = conf.subnet() != null ? conf.subnet() : universe;
        NetConf.checkInside(fromArgs, space, conf.subnet() != null, "CNI_ARGS IP " + IPv4.format(fromArgs),
                CniError.BAD_ENVIRONMENT);
        if (conf.requested() >= 0 && conf.requested() != fromArgs) {
            throw new CniError(CniError.INVALID_CONFIG, "CNI_ARGS IP " + IPv4.format(fromArgs) + " differs from the "
                    + IPv4.format(conf.requested()) + " asked for in the config", "ask for one address in one place");
        }
        return fromArgs;
    }

    private CompletableFuture<CniAnswer> release(Attachment a, Note note, String version) {
        return core.submit(id -> new Input.Release(id, a)).thenApplyAsync(r -> {
            if (note != null) {
                try {
                    notes.removeIf(key(a), note.addedAt());
                } catch (IOException e) {
                    // The address is free; only a stale pod name stays behind, and it is rewritten on the next ADD.
                    LOG.warn("could not remove the note of {}: {}", a, e.toString());
                }
            }
            return r instanceof Result.Released ? CniAnswer.ok("") : CniFailures.error(version, CniFailures.refusal(r, "a release"));
        }, after);
    }

    private CompletableFuture<CniAnswer> check(CniEnv env, JsonNode root, String version, Cidr universe)
            throws CniError {
        if (!CniVersions.allowsCheck(version)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "cniVersion " + version + " does not allow CHECK",
                    "CHECK needs cniVersion 0.4.0 or later");
        }
        NetConf conf = NetConf.parse(root, universe);
        List<Long> expected = PrevResult.addresses(root);
        Attachment a = attachment(env, conf.name());
        return core.read(peer -> peer.space().addressOf(a)).thenApply(held -> {
            if (held < 0) {
                return CniFailures.error(version, new CniError(CniError.UNKNOWN_CONTAINER, a + " holds no address in weft",
                        "prevResult says " + IPv4.format(expected.get(0)) + ": ADD it again"));
            }
            if (!expected.contains(held)) {
                return CniFailures.error(version, new CniError(CniError.GENERIC, a + " holds " + IPv4.format(held)
                        + ", not " + IPv4.format(expected.get(0)) + " as prevResult says", "DEL and ADD it again"));
            }
            return CniAnswer.ok("");
        });
    }

    private CompletableFuture<CniAnswer> gc(JsonNode root, String version) throws CniError {
        if (!CniVersions.isAtLeast11(version)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "cniVersion " + version + " does not allow GC",
                    "GC needs cniVersion 1.1.0");
        }
        String network = NetConf.text(root, "name", true);
        Set<ValidAttachments.Pair> pairs = ValidAttachments.parse(root);
        if (pairs == null) {
            return done(CniAnswer.ok(""));
        }
        long arrived = clockNanos.getAsLong();
        order.writeLock().lock();
        try {
            Set<Attachment> valid = new HashSet<>(gateways.of(network).join());
            for (ValidAttachments.Pair p : pairs) {
                valid.add(new Attachment(p.containerId(), p.ifname(), network));
            }
            for (Note n : notes.all()) {
                if (n.network().equals(network) && n.addedAt() >= arrived) {
                    valid.add(new Attachment(n.containerId(), n.ifname(), network));
                }
            }
            return core.submit(id -> new Input.Gc(id, valid, network)).thenApplyAsync(r -> {
                if (r instanceof Result.Released rel) {
                    rel.freed().forEach(h -> notes.get(key(h.attachment())).ifPresent(n -> forget(n)));
                    return CniAnswer.ok("");
                }
                return CniFailures.error(version, CniFailures.refusal(r, "GC"));
            }, after);
        } finally {
            order.writeLock().unlock();
        }
    }

    private void forget(Note n) {
        try {
            notes.removeIf(n.key(), n.addedAt());
        } catch (IOException e) {
            LOG.warn("could not remove the note of {}/{}: {}", n.containerId(), n.ifname(), e.toString());
        }
    }

    private CompletableFuture<CniAnswer> status(JsonNode root, String version, Cidr universe) throws CniError {
        if (!CniVersions.isAtLeast11(version)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "cniVersion " + version + " does not allow STATUS",
                    "STATUS needs cniVersion 1.1.0");
        }
        NetConf conf = NetConf.parse(root, universe);
        return core.read(peer -> Readiness.of(peer, conf.subnet())).thenApply(why -> why == null ? CniAnswer.ok("")
                : CniFailures.error(version, new CniError(CniError.NOT_AVAILABLE, "weft cannot hand out addresses now: " + why,
                        "wait for the ring to form or for space; see 'weft status'")));
    }

    /** Read once from the core (it never changes), on the caller's thread, never on the loop's. */
    private Cidr universe() {
        Cidr u = universe;
        if (u == null) {
            u = core.read(peer -> peer.config().universe()).join();
            universe = u;
        }
        return u;
    }

    private static Attachment attachment(CniEnv env, String network) throws CniError {
        try {
            return new Attachment(env.containerId(), env.ifname(), network);
        } catch (IllegalArgumentException e) {
            throw NetConf.invalid("name '" + CniEnv.printable(network) + "' cannot name a weft network", e.getMessage());
        }
    }

    private static String key(Attachment a) {
        return Note.key(a.network(), a.containerId(), a.ifname());
    }

    /** The config's own version when it can be read, for the error JSON. */
    private static String bestVersion(CniRequest request, String known) {
        if (!known.equals(CniVersions.LATEST)) {
            return known;
        }
        try {
            return NetConf.version(CniJson.decode(request.stdin()));
        } catch (CniError | RuntimeException e) {
            return CniVersions.LATEST;
        }
    }

    private static CompletableFuture<CniAnswer> done(CniAnswer a) {
        return CompletableFuture.completedFuture(a);
    }
}
