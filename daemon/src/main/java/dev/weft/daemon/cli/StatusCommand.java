package dev.weft.daemon.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.core.address.Cidr;
import dev.weft.daemon.api.v1.Alarm;
import dev.weft.daemon.api.v1.PeerInfo;
import dev.weft.daemon.api.v1.PeersReply;
import dev.weft.daemon.api.v1.PeersRequest;
import dev.weft.daemon.api.v1.RingRequest;
import dev.weft.daemon.api.v1.StatusReply;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.ringview.RingModel;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

@Command(mixinStandardHelpOptions = true, name = "status", description = "This peer's state, name and install id, addresses owned and in use, peers"
        + " connected and unreachable, conflicts, gaps and alarms.",
        footer = {"%nExamples:", "  weft status", "  weft status -o json | jq .state",
            "  until weft status >/dev/null; do sleep 1; done   # wait until ready (exit 0)", "", ExitCode.HELP_TEXT})
final class StatusCommand extends Verb {
    @Override
    int run(DaemonLink link, PrintWriter out) {
        StatusReply s = link.call(api -> api.status(StatusRequest.getDefaultInstance()));
        PeersReply peers = link.call(api -> api.peers(PeersRequest.getDefaultInstance()));
        List<String> unreachable = peers.getPeersList().stream()
                .filter(p -> !p.getSelf() && !p.getReachable() && !p.getTombstoned() && p.getOwned() > 0)
                .map(PeerInfo::getPeer).toList();
        long universe = Cidr.parse(s.getUniverse()).size();
        long gaps = s.getState().equals("forming") ? 0 : RingModel.from(link.call(api -> api.ring(
                RingRequest.getDefaultInstance()))).arcs().stream().filter(RingModel.Arc::gap)
                .mapToLong(RingModel.Arc::size).sum();
        if (format() == Format.json) {
            ObjectNode o = Listing.JSON.createObjectNode();
            o.put("peer", s.getSelf()).put("state", s.getState()).put("forming", s.getForming())
                    .put("cluster", s.getCluster()).put("universe", s.getUniverse()).put("owned", s.getOwned())
                    .put("free", s.getFree()).put("held", s.getHeld()).put("pending", s.getPending())
                    .put("ringEntries", s.getRingEntries()).put("conflicts", s.getConflicts())
                    .put("gaps", s.getGaps()).put("gapAddresses", gaps).put("succession", s.getSuccession());
            s.getReachableList().forEach(o.putArray("reachable")::add);
            unreachable.forEach(o.putArray("unreachable")::add);
            o.put("fenced", s.getFencedCount());
            ArrayNode alarms = o.putArray("alarms");
            for (Alarm a : s.getAlarmsList()) {
                alarms.addObject().put("at", Instant.ofEpochMilli(a.getAt()).toString()).put("kind", a.getKind())
                        .put("message", a.getMessage());
            }
            out.print(Listing.pretty(o));
        } else {
            field(out, "Peer", s.getSelf());
            field(out, "State", s.getState() + (s.getForming().isEmpty() ? "" : " (" + s.getForming() + ")"));
            if (!s.getCluster().isEmpty()) {
                field(out, "Cluster", s.getCluster());
            }
            field(out, "Universe", s.getUniverse());
            field(out, "Owned", s.getOwned() + " addresses (" + String.format(Locale.ROOT, "%.1f%%",
                    100.0 * s.getOwned() / universe) + " of the universe), " + (s.getOwned() - s.getFree())
                    + " in use, " + s.getFree() + " free");
            field(out, "Held here", s.getHeld() + " attachments" + (s.getPending() > 0 ? ", " + s.getPending()
                    + " requests waiting for space" : ""));
            field(out, "Peers", s.getReachableCount() + " connected" + (format() == Format.wide
                    ? " " + s.getReachableList() : "") + ", " + unreachable.size() + " unreachable"
                    + (unreachable.isEmpty() ? "" : " " + unreachable));
            field(out, "Ring", s.getRingEntries() + " ranges, " + s.getConflicts() + " conflicts, " + gaps
                    + " addresses in gaps (no live owner)" + (s.getConflicts() > 0 ? "; weft conflicts lists them" : "")
                    + (s.getGaps() > 0 ? "; " + s.getGaps() + " uncovered ranges, weft gaps lists them" : ""));
            if (s.getFencedCount() > 0) {
                field(out, "Fenced", s.getFencedCount() + " attachments in ranges this peer no longer owns (weft"
                        + " allocations --fenced names them)");
            }
            if (!s.getSuccession().isEmpty()) {
                field(out, "Succession", s.getSuccession());
            }
            field(out, "Alarms", s.getAlarmsCount() == 0 ? "none" : String.valueOf(s.getAlarmsCount()));
            for (Alarm a : s.getAlarmsList()) {
                out.println("  " + Instant.ofEpochMilli(a.getAt()) + "  " + a.getKind() + "  " + a.getMessage());
            }
        }
        out.flush();
        return switch (s.getState()) {
            case "ready" -> ExitCode.OK;
            case "fenced", "removed", "restored" -> ExitCode.REFUSED; // each needs an operator, not time
            default -> ExitCode.NOT_READY;
        };
    }

    private static void field(PrintWriter out, String name, String value) {
        out.printf("%-11s %s%n", name + ":", value);
    }
}
