package dev.weft.deploy;

import org.junit.jupiter.api.Assumptions;

/**
 * The one check for what a deploy test needs from the machine: missing, the test is skipped, unless
 * {@code WEFT_STRICT_TESTS=1} (CI), where it fails.
 */
final class Prerequisites {
    private Prerequisites() {}

    static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("1".equals(System.getenv("WEFT_STRICT_TESTS"))) {
            throw new AssertionError("missing prerequisite (WEFT_STRICT_TESTS=1 makes this a failure): " + what);
        }
        Assumptions.abort("skipped, missing prerequisite: " + what);
    }
}
