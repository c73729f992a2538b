package dev.weft.daemon.cni;

import dev.weft.core.node.Result;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How what went wrong — a core refusal, a failed future — becomes the CNI error the plugin prints. */
final class CniFailures {
    private static final Logger LOG = LoggerFactory.getLogger(CniFailures.class);

    private CniFailures() {}

    /** A core answer other than success, as the CNI error it means. */
    static CniError refusal(Result r, String what) {
        if (r instanceof Result.TryLater t) {
            return new CniError(CniError.TRY_AGAIN_LATER, "weft cannot give " + what + " yet: " + t.reason(),
                    "try again later (the runtime retries)");
        }
        if (r instanceof Result.Refused f) {
            int code = f.why() == Result.Why.BAD_REQUEST ? CniError.INVALID_CONFIG : CniError.GENERIC;
            return new CniError(code, "weft refused " + what + ": " + f.message(), f.why().toString());
        }
        return new CniError(CniError.GENERIC, "weft gave an unexpected answer for " + what + ": " + r, "report this");
    }

    static CniError unwrap(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof CniError c) {
            return c;
        }
        if (cause instanceof UncheckedIOException io) {
            return new CniError(CniError.IO_FAILURE, "weftd I/O failure: " + io.getCause().getMessage(),
                    "check the weft state folder");
        }
        LOG.warn("CNI request ended without an answer from the core", cause);
        return new CniError(CniError.TRY_AGAIN_LATER, "weftd could not finish the request: " + cause,
                "weftd may be shutting down: try again later");
    }

    static CniAnswer error(String version, CniError e) {
        return new CniAnswer(1, CniJson.error(version, e), e.code());
    }
}
