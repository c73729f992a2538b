package dev.weft.core.node;

/**
 * Records that cannot be turned back into a peer: a broken ring, a universe that does not match the
 * configuration, missing identity. Nothing is changed on disk; the message says what to do.
 */
public final class CorruptStateException extends Exception {
    public CorruptStateException(String message) {
        super(message);
    }
}
