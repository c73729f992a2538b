package dev.weft.daemon.store;

/**
 * The data folder cannot be used as it is: damaged, another version's, another address space's, or in use
 * by another weftd. The message says what is wrong and what to do; nothing in the folder was changed.
 */
public final class StoreRefusedException extends Exception {
    public StoreRefusedException(String message) {
        super(message);
    }

    public StoreRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
