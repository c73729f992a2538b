package dev.weft.daemon.loop;

import dev.weft.core.node.Input;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Result;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * How the daemon's front ends (the gRPC API, the CNI endpoint, the DEL spool, Kubernetes reconciliation)
 * reach the core. The event loop is the core's only owner: everything goes through its queue, and nothing
 * outside it ever touches the {@link Peer}.
 */
public interface CoreGateway {

    /**
     * Queues a request; the loop picks its id and passes it to {@code request}. The future completes on the
     * loop's side only after the records of the step that answered it, and of every step before it, are
     * synced to disk. It completes exceptionally only if the daemon is shutting down.
     */
    CompletableFuture<Result> submit(LongFunction<? extends Input.Request> request);

    /** Runs a read-only {@code query} on the loop thread (status, ring, allocations) and returns its answer. */
    <T> CompletableFuture<T> read(Function<Peer, T> query);
}
