package dev.weft.daemon.cli;

/** The exit codes of {@code weft}, the same for every command, so scripts can branch on them. */
public final class ExitCode {
    public static final int OK = 0;
    /** An unexpected failure (a bug, a broken file); the message says what happened. */
    public static final int FAILED = 1;
    /** The command line or the request was wrong (picocli's own usage code). */
    public static final int USAGE = 2;
    /** weftd is not running, or its socket cannot be reached. */
    public static final int NO_DAEMON = 3;
    /** The daemon refused: unsafe now (rmpeer of a peer heard from recently), fenced or removed. */
    public static final int REFUSED = 4;
    /** No such peer or attachment. */
    public static final int NOT_FOUND = 5;
    /** Try again later: the ring is forming or space is being fetched (status: not ready yet). */
    public static final int NOT_READY = 6;
    /** The address or attachment is taken by another. */
    public static final int TAKEN = 7;

    /** The exit-code section of {@code --help} (the same list is in docs/operations.md). */
    static final String HELP_TEXT = "Exit codes:%n"
            + "  0  done (status: the peer is ready)%n"
            + "  1  unexpected failure%n"
            + "  2  bad command line or request%n"
            + "  3  weftd is not running or its socket cannot be reached%n"
            + "  4  refused: unsafe now, or this peer is fenced or removed%n"
            + "  5  no such peer or attachment%n"
            + "  6  not ready: the ring is forming or space is being fetched; try again later%n"
            + "  7  the address or attachment is taken by another";

    private ExitCode() {}
}
