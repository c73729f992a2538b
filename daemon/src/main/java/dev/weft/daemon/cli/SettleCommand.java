package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.SettleRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "settle", description = {"Settles one conflict that weft conflicts"
        + " lists: INSTALL keeps the range, every other claimant yields and hands what its pods hold there to"
        + " INSTALL, where it stays held. Nobody allocates in the range until every claimant has heard it.",
    "Pick the claimant that really hands out addresses there (the one whose pods use the range); the others' pods"
        + " keep their addresses. Refused (exit 2) when the range is not in conflict or is not named exactly as"
        + " listed; exit 5 when INSTALL does not claim it or was removed."},
        footer = {"%nExamples:", "  weft conflicts", "  weft settle 10.32.4.0/24 --owner node-b",
            "  weft settle 10.32.4.0-10.32.4.99 --owner node-b#3f2a9c01d2e4b567 -o json", "", ExitCode.HELP_TEXT})
final class SettleCommand extends Verb {
    @Parameters(paramLabel = "RANGE", description = "the range exactly as weft conflicts lists it: a CIDR, or"
            + " first-last")
    String range;

    @Option(names = "--owner", required = true, paramLabel = "INSTALL", description = "the claimant to keep it:"
            + " name#uid, or the name alone when only one claimant has it")
    String owner;

    @Override
    int run(DaemonLink link, PrintWriter out) {
        String msg = link.call(api -> api.settle(SettleRequest.newBuilder().setRange(range).setOwner(owner).build()))
                .getMessage();
        CommandMessage.print(out, format(), msg);
        return ExitCode.OK;
    }
}
