package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.ReclaimGapRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "reclaim-gap", description = {"Takes one gap that weft gaps lists"
        + " over for this peer, once every known install that was not removed has answered that it owns nothing"
        + " there (the true owner of a gap is unknown, so asking its neighbours is not enough). What is taken"
        + " rests like a takeover and is used last.",
    "Refused (exit 2) when RANGE is not exactly a gap as listed; refused (exit 4) when an install owns something"
        + " there or does not answer within 10 s: bring it back, or remove it first with weft rmpeer."},
        footer = {"%nExamples:", "  weft gaps", "  weft reclaim-gap 10.32.7.0/26",
            "  weft reclaim-gap 10.32.7.0-10.32.7.99 -o json", "", ExitCode.HELP_TEXT})
final class ReclaimGapCommand extends Verb {
    @Parameters(paramLabel = "RANGE", description = "the gap exactly as weft gaps lists it: a CIDR, or first-last")
    String range;

    @Override
    int run(DaemonLink link, PrintWriter out) {
        String msg = link.call(api -> api.reclaimGap(ReclaimGapRequest.newBuilder().setRange(range).build()))
                .getMessage();
        CommandMessage.print(out, format(), msg);
        return ExitCode.OK;
    }
}
