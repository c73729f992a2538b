package dev.weft.daemon.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.daemon.api.v1.Claim;
import dev.weft.daemon.api.v1.Conflict;
import dev.weft.daemon.api.v1.ConflictsRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

@Command(mixinStandardHelpOptions = true, name = "conflicts", description = {"Ranges that several installs claim at one"
        + " version: each with its version, every claim (owner, takeover or not, free count) and the owner whose"
        + " claim counts.",
    "Rival takeovers of one removed install resolve by themselves (the lowest install wins) and stay listed, with"
        + " their owner, until the losers have yielded. A conflict with no owner (OWNER none) blocks allocation in"
        + " its range until you settle it with weft settle RANGE --owner INSTALL. An empty list is a healthy ring."},
        footer = {"%nExamples:", "  weft conflicts", "  weft conflicts -o wide",
            "  weft conflicts -o json | jq -r '.[] | select(.owner == null) | .range'", "", ExitCode.HELP_TEXT})
final class ConflictsCommand extends Verb {
    @Override
    int run(DaemonLink link, PrintWriter out) {
        List<Conflict> all = link.call(api -> api.conflicts(ConflictsRequest.getDefaultInstance())).getConflictsList();
        if (format() == Format.json) {
            out.print(Listing.pretty(json(all)));
            out.flush();
            return ExitCode.OK;
        }
        Listing l = new Listing().column("range", "RANGE").column("version", "VERSION").column("owner", "OWNER")
                .column("claims", "CLAIMS").wideColumn("cidrs", "CIDRS").wideColumn("free", "FREE PER CLAIM");
        for (Conflict c : all) {
            l.row(c.getRange(), c.getVersion(), c.getOwner().isEmpty() ? "none (settle it)" : c.getOwner(),
                    c.getClaimsList().stream().map(x -> x.getOwner() + (x.getTakeover() ? " (takeover)" : ""))
                            .collect(Collectors.joining(", ")),
                    String.join(" ", c.getCidrsList()),
                    c.getClaimsList().stream().map(x -> String.valueOf(x.getFree())).collect(Collectors.joining(", ")));
        }
        print(out, l);
        return ExitCode.OK;
    }

    private static ArrayNode json(List<Conflict> all) {
        ArrayNode a = Listing.JSON.createArrayNode();
        for (Conflict c : all) {
            ObjectNode o = a.addObject().put("range", c.getRange()).put("start", c.getStart()).put("end", c.getEnd())
                    .put("version", c.getVersion());
            c.getCidrsList().forEach(o.putArray("cidrs")::add);
            if (c.getOwner().isEmpty()) {
                o.putNull("owner");
            } else {
                o.put("owner", c.getOwner());
            }
            ArrayNode claims = o.putArray("claims");
            for (Claim x : c.getClaimsList()) {
                claims.addObject().put("owner", x.getOwner()).put("takeover", x.getTakeover())
                        .put("free", x.getFree()).put("end", x.getEnd());
            }
        }
        return a;
    }
}
