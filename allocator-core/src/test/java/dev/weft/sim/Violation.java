package dev.weft.sim;

/** A broken promise found by the oracle; the message names the seed and how to replay it. */
final class Violation extends RuntimeException {
    Violation(String message) {
        super(message);
    }
}
