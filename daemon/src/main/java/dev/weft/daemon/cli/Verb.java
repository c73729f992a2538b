package dev.weft.daemon.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A {@code weft} command that asks the daemon once and prints the answer; failures end as {@link CliFailure}. */
abstract class Verb implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try (DaemonLink link = common.connect()) {
            return run(link, spec.commandLine().getOut());
        }
    }

    /** Asks the daemon and prints; returns the exit code. */
    abstract int run(DaemonLink link, PrintWriter out);

    Format format() {
        return common.output;
    }

    /** Prints a listing in the chosen format. */
    void print(PrintWriter out, Listing l) {
        out.print(format() == Format.json ? Listing.pretty(l.json()) : l.table(format() == Format.wide));
        out.flush();
    }
}
