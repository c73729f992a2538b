package dev.weft.gossip.wire;

/** A frame that must not reach the core, with the counted reason and a message for the log. */
public final class BadFrameException extends Exception {
    private final Reject reason;

    public BadFrameException(Reject reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BadFrameException(Reject reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reject reason() {
        return reason;
    }
}
