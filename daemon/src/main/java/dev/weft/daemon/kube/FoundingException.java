package dev.weft.daemon.kube;

import java.io.IOException;

/**
 * weftd cannot take part in the cluster that Kubernetes says it belongs to (a founding record for another
 * range, a damaged record, the API server unreachable while it must be asked): the message says what to do.
 */
public final class FoundingException extends IOException {
    public FoundingException(String message) {
        super(message);
    }

    public FoundingException(String message, Throwable cause) {
        super(message, cause);
    }
}
