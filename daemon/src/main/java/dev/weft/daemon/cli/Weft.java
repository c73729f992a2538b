package dev.weft.daemon.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code weft}, the operator's command line: asks the local weftd over its API socket. Each command is its own
 * class; this one wires them, maps failures to exit codes ({@link ExitCode}) and prints errors to stderr.
 */
@Command(name = "weft", mixinStandardHelpOptions = true, version = "weft 0.1.0",
        description = "Shows and repairs weft's address ring through the local weftd.",
        subcommands = {StatusCommand.class, RingCommand.class, PeersCommand.class, AllocationsCommand.class,
            RmpeerCommand.class, ClaimCommand.class, ReleaseCommand.class, GcCommand.class, LeaveCommand.class,
            ConflictsCommand.class, SettleCommand.class, GapsCommand.class, ReclaimGapCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"%nEvery command takes --socket PATH (env WEFT_SOCKET), -o table|wide|json and --timeout SECONDS.",
            "%nExamples:", "  weft status", "  weft ring --ranges", "  weft allocations --pod default/web-0 -o json",
            "  weft rmpeer node-c",
            "  weft conflicts", "  weft gaps", "", ExitCode.HELP_TEXT})
public final class Weft implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say which command: weft --help lists them");
    }

    /** The command line with weft's error handling, for main and for tests (which set its out and err). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Weft());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliFailure f) {
                line.getErr().println("weft: " + f.getMessage());
                line.getErr().flush();
                return f.code;
            }
            line.getErr().println("weft: unexpected failure: " + e);
            line.getErr().flush();
            return ExitCode.FAILED;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
