package dev.weft.daemon.store;

/** A stored value that is not the record its key says it should be. */
public final class DamagedRecordException extends Exception {
    public DamagedRecordException(String key, String what) {
        super("the record under key '" + key.replace("\n", "\\n") + "' is damaged: " + what);
    }
}
