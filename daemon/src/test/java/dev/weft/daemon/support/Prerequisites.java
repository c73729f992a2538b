package dev.weft.daemon.support;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;

/**
 * What a test needs from the machine. Missing, the test is skipped; with {@code WEFT_STRICT_TESTS=1} (as
 * CI sets it) a missing prerequisite fails the test instead, so CI never passes by skipping.
 */
public final class Prerequisites {
    private Prerequisites() {}

    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("1".equals(System.getenv("WEFT_STRICT_TESTS"))) {
            fail("missing prerequisite (WEFT_STRICT_TESTS=1): " + what);
        }
        assumeTrue(false, "skipped, missing: " + what);
    }

    /** Netty's native epoll, for unix-socket gRPC. */
    public static void epoll() {
        require(Epoll.isAvailable(), "netty native epoll (Linux x86_64): " + Epoll.unavailabilityCause());
    }
}
