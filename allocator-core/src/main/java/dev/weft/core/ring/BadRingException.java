package dev.weft.core.ring;

/** A piece of ring that breaks the ring's shape rules (unsorted, outside the universe, bad counts). */
public final class BadRingException extends IllegalArgumentException {
    public BadRingException(String message) {
        super(message);
    }
}
