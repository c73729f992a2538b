package dev.weft.daemon.cni;

import dev.weft.core.address.Cidr;
import dev.weft.core.node.Input;
import dev.weft.core.node.Result;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.daemon.loop.CoreGateway;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The node's own gateway address per network (and subnet): allocated once, from this node's space, under a
 * reserved attachment. Its container id holds a ':', which no CNI container id may, so no runtime DEL can
 * name it; GC always keeps it; and, being an ordinary durable hold, it is the same address after a restart.
 * So {@code bridge} with {@code isGateway} puts a stable gateway on its bridge, and never takes the
 * subnet's first address, which weft may have handed to a pod.
 */
final class NodeGateways {
    /** The container id of every gateway hold. The daemon's own leak sweep must leave these alone. */
    static final String CONTAINER = "weft:gateway";
    private static final String WHOLE_SPACE = "space";

    private final CoreGateway core;
    private final Map<Attachment, Long> known = new ConcurrentHashMap<>();

    NodeGateways(CoreGateway core) {
        this.core = core;
    }

    static Attachment attachment(String network, Cidr subnet) {
        return new Attachment(CONTAINER, subnet == null ? WHOLE_SPACE : subnet.toString(), network);
    }

    static boolean isGateway(Attachment a) {
        return a.containerId().equals(CONTAINER);
    }

    /** The gateway of {@code network} in {@code subnet} (null: the whole space), allocating it the first time. */
    CompletableFuture<Result> ensure(String network, Cidr subnet) {
        Attachment a = attachment(network, subnet);
        Long address = known.get(a);
        if (address != null) {
            return CompletableFuture.completedFuture(new Result.Assigned(address));
        }
        return core.submit(id -> new Input.Allocate(id, a, subnet)).thenApply(r -> {
            if (r instanceof Result.Assigned as) {
                known.put(a, as.address());
            }
            return r;
        });
    }

    /** Every gateway hold of {@code network} this node has, read on the loop. */
    CompletableFuture<Set<Attachment>> of(String network) {
        return core.read(peer -> peer.space().holds().stream().map(Hold::attachment)
                .filter(a -> isGateway(a) && a.network().equals(network)).collect(Collectors.toSet()));
    }
}
