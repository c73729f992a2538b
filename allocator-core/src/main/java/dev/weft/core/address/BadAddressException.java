package dev.weft.core.address;

/** Text that should name an address, a CIDR or a range, and does not; the message says how to write it. */
public final class BadAddressException extends IllegalArgumentException {
    public BadAddressException(String message) {
        super(message);
    }
}
