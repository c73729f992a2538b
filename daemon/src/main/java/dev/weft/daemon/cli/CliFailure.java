package dev.weft.daemon.cli;

/** A failure the user can act on: printed as one message to stderr, and the command exits with {@code code}. */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    CliFailure(int code, String message) {
        super(message);
        this.code = code;
    }
}
