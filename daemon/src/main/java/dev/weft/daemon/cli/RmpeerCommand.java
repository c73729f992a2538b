package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.RemovePeerRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "rmpeer", description = {"Takes over the ranges of a peer that is gone for good (its node lost, its"
        + " data folder wiped), so its space is not stranded. Prints what was taken over.",
    "Refused (exit 4) while the peer is connected, or while this peer or one it gossips with heard from it within"
        + " the last 60 s: a closed idle link is not evidence of death. Removing a live peer makes two peers hand"
        + " out the same addresses; --force overrides the checks only for a peer you know is gone."},
        footer = {"%nExamples:", "  weft rmpeer node-c", "  weft rmpeer node-c#3f2a9c01d2e4b567 --force", "", ExitCode.HELP_TEXT})
final class RmpeerCommand extends Verb {
    @Parameters(paramLabel = "PEER", description = "the peer's name, or name#uid when the name is ambiguous")
    String peer;

    @Option(names = "--force", description = "remove even if it was heard from recently or is connected")
    boolean force;

    @Override
    int run(DaemonLink link, PrintWriter out) {
        String msg = link.call(api -> api.removePeer(RemovePeerRequest.newBuilder().setPeer(peer).setForce(force)
                .build())).getMessage();
        CommandMessage.print(out, format(), msg);
        return ExitCode.OK;
    }
}
