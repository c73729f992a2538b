package dev.weft.daemon.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.daemon.api.v1.RingRequest;
import dev.weft.daemon.ringview.RingModel;
import dev.weft.daemon.ringview.RingSvg;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "ring", description = "Who owns what: a line per peer with addresses owned, share of the universe,"
        + " in use and whether it is reachable; --ranges for every range.",
        footer = {"%nExamples:", "  weft ring", "  weft ring --ranges -o wide", "  weft ring --svg ring.svg",
            "  weft ring -o json | jq '.peers[] | select(.reachable == false)'", "", ExitCode.HELP_TEXT})
final class RingCommand extends Verb {
    @Option(names = "--ranges", description = "list every range: CIDR (or first-last), owner, size, free, version,"
            + " conflict")
    boolean ranges;

    @Option(names = "--svg", paramLabel = "FILE", description = "also draw the ring as an SVG picture into FILE")
    Path svg;

    @Override
    int run(DaemonLink link, PrintWriter out) {
        RingModel m = RingModel.from(link.call(api -> api.ring(RingRequest.getDefaultInstance())));
        if (svg != null) {
            try {
                Files.writeString(svg, RingSvg.render(m), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliFailure(ExitCode.FAILED, "cannot write " + svg.toAbsolutePath() + ": " + e.getMessage());
            }
        }
        Listing l = ranges ? ranges(m) : owners(m);
        if (format() == Format.json) {
            ObjectNode o = Listing.JSON.createObjectNode().put("cluster", m.cluster()).put("universe", m.universe());
            o.set(ranges ? "ranges" : "peers", l.json());
            out.print(Listing.pretty(o));
        } else {
            out.print(l.table(format() == Format.wide));
        }
        out.flush();
        return ExitCode.OK;
    }

    private static Listing owners(RingModel m) {
        Listing l = new Listing().column("peer", "PEER").column("owned", "OWNED").column("share", "SHARE")
                .column("inUse", "IN USE").column("reachable", "REACHABLE").wideColumn("ranges", "RANGES")
                .wideColumn("free", "FREE").wideColumn("removed", "REMOVED");
        for (RingModel.Owner o : m.owners()) {
            l.row(o.name(), o.owned(), String.format(Locale.ROOT, "%.1f%%", 100 * m.share(o.owned())), o.inUse(),
                    o.reachable() ? "yes" : "unreachable!", o.ranges(), o.free(), o.removed());
        }
        return l;
    }

    private static Listing ranges(RingModel m) {
        Listing l = new Listing().column("range", "RANGE").column("owner", "OWNER").column("size", "SIZE")
                .column("free", "FREE").column("version", "VERSION").column("conflict", "CONFLICT")
                .wideColumn("reachable", "REACHABLE").wideColumn("gap", "GAP");
        for (RingModel.Arc a : m.arcs()) {
            l.row(a.range(), a.owner(), a.size(), a.free(), a.version(), a.conflicted(), a.reachable(), a.gap());
        }
        return l;
    }
}
