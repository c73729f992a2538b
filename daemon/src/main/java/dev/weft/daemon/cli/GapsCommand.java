package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.Gap;
import dev.weft.daemon.api.v1.GapsRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(mixinStandardHelpOptions = true, name = "gaps", description = {"Address ranges that no ring entry covers:"
        + " each with its size and the owner of the entry it follows. Nobody allocates in a gap.",
    "A gap is left when every copy of a split was lost with the data folders that held it. One listed only for a"
        + " moment may be gossip still on its way: list again. One that stays is taken over with weft reclaim-gap"
        + " RANGE, which asks every known install first. An empty list is a healthy ring."},
        footer = {"%nExamples:", "  weft gaps", "  weft gaps -o wide", "  weft gaps -o json | jq -r '.[].range'", "",
            ExitCode.HELP_TEXT})
final class GapsCommand extends Verb {
    @Override
    int run(DaemonLink link, PrintWriter out) {
        Listing l = new Listing().column("range", "RANGE").column("size", "SIZE").column("after", "AFTER")
                .wideColumn("cidrs", "CIDRS").wideColumn("start", "START").wideColumn("end", "END");
        for (Gap g : link.call(api -> api.gaps(GapsRequest.getDefaultInstance())).getGapsList()) {
            l.row(g.getRange(), g.getSize(), g.getAfter(), String.join(" ", g.getCidrsList()), g.getStart(),
                    g.getEnd());
        }
        print(out, l);
        return ExitCode.OK;
    }
}
