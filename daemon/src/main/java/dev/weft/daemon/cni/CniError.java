package dev.weft.daemon.cni;

/**
 * A CNI error: printed on stdout as {@code {"cniVersion","code","msg","details"}} with a non-zero exit.
 * {@code msg} names the field or variable at fault; {@code details} says what to do.
 */
public final class CniError extends Exception {
    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int UNKNOWN_CONTAINER = 3;
    public static final int BAD_ENVIRONMENT = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODE_FAILURE = 6;
    public static final int INVALID_CONFIG = 7;
    public static final int TRY_AGAIN_LATER = 11;
    public static final int NOT_AVAILABLE = 50;
    /** What the reference plugins use for a generic failure (pool exhausted, address in use). */
    public static final int GENERIC = 999;

    private final int code;
    private final String details;

    public CniError(int code, String msg, String details) {
        super(msg);
        this.code = code;
        this.details = details == null ? "" : details;
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }
}
