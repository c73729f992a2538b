package dev.weft.daemon.api;

import dev.weft.core.node.Result;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The core's answers as gRPC statuses, so a caller can tell them apart by code alone: try again later
 * (UNAVAILABLE) is not a bad request (INVALID_ARGUMENT) nor "in use" (ALREADY_EXISTS).
 */
final class Answers {
    private Answers() {}

    /** The status for an answer that is not the success the call expected. */
    static StatusRuntimeException failure(Result r) {
        if (r instanceof Result.TryLater t) {
            return Status.UNAVAILABLE.withDescription("try again later: " + t.reason()).asRuntimeException();
        }
        if (r instanceof Result.Refused f) {
            Status s = switch (f.why()) {
                case BAD_REQUEST -> Status.INVALID_ARGUMENT;
                case IN_USE -> Status.ALREADY_EXISTS;
                case FENCED, UNSAFE -> Status.FAILED_PRECONDITION;
                case UNKNOWN_PEER -> Status.NOT_FOUND;
            };
            return s.withDescription(f.message()).asRuntimeException();
        }
        return Status.INTERNAL.withDescription("weftd gave an unexpected answer " + r + "; please report this")
                .asRuntimeException();
    }

    /** A query that needs the ring while it is still forming. */
    static StatusRuntimeException forming() {
        return Status.UNAVAILABLE.withDescription("the ring is still forming; try again later (weft status says"
                + " what it waits for)").asRuntimeException();
    }

    /** A request that fails its shape checks before it reaches the core. */
    static StatusRuntimeException badRequest(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    /** The loop could not answer: shutting down, or the store failed. Nothing was acknowledged. */
    static StatusRuntimeException unanswered(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                ? t.getCause() : t;
        if (cause instanceof StatusRuntimeException s) {
            return s;
        }
        if (cause instanceof IllegalArgumentException) {
            return badRequest(cause.getMessage());
        }
        return Status.UNAVAILABLE.withDescription(String.valueOf(cause.getMessage())).withCause(cause)
                .asRuntimeException();
    }
}
