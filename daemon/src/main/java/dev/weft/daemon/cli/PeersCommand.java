package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.PeerInfo;
import dev.weft.daemon.api.v1.PeersRequest;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;

@Command(mixinStandardHelpOptions = true, name = "peers", description = "Every install this peer knows: reachable or not, space owned and free, when"
        + " it was last heard from (by this peer or, through gossip, another), removed or not.",
        footer = {"%nExamples:", "  weft peers", "  weft peers -o json | jq -r '.[] | select(.reachable|not) | .peer'", "", ExitCode.HELP_TEXT})
final class PeersCommand extends Verb {
    @Override
    int run(DaemonLink link, PrintWriter out) {
        long now = System.currentTimeMillis();
        Listing l = new Listing().column("peer", "PEER").column("self", "SELF").column("reachable", "REACHABLE")
                .column("owned", "OWNED").column("free", "FREE").column("lastHeard", "LAST HEARD")
                .column("removed", "REMOVED").wideColumn("lastHeardAt", "LAST HEARD AT");
        for (PeerInfo p : link.call(api -> api.peers(PeersRequest.getDefaultInstance())).getPeersList()) {
            long at = p.getLastHeard();
            l.row(p.getPeer(), p.getSelf(), p.getReachable(), p.getOwned(), p.getFree(),
                    p.getSelf() ? "now" : at == 0 ? "never" : ago(now - at), p.getTombstoned(),
                    at == 0 ? "" : Instant.ofEpochMilli(at).toString());
        }
        print(out, l);
        return ExitCode.OK;
    }

    static String ago(long millis) {
        long s = Math.max(0, millis / 1000);
        if (s < 120) {
            return s + "s ago";
        }
        return s < 7200 ? s / 60 + "m ago" : s / 3600 + "h ago";
    }
}
