package dev.weft.core.ring;

/**
 * A ring or piece of one that cannot be merged into ours because it belongs to another cluster bootstrap or
 * another universe. Merging it would silently unite two address plans that were never agreed; the message
 * says which and what the operator can do.
 */
public final class RingMismatchException extends Exception {
    public RingMismatchException(String message) {
        super(message);
    }
}
