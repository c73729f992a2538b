package dev.weft.daemon.cli;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.daemon.api.v1.AllocationsReply;
import dev.weft.daemon.api.v1.AllocationsRequest;
import dev.weft.daemon.api.v1.Hold;
import dev.weft.daemon.api.v1.RingRequest;
import dev.weft.daemon.ringview.RingModel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "allocations", description = {"The addresses held through this node's weftd: attachment (container"
        + " id + interface), address, pod (namespace/name, when the CNI plugin was told it) and the peer that owns"
        + " the address's range.", "Filters combine: every one given must match."},
        footer = {"%nExamples:", "  weft allocations", "  weft allocations --pod default/web-0",
            "  weft allocations --address 10.32.0.0/24 -o json", "  weft allocations --peer node-b -o wide", "  weft allocations --network storage",
            "  weft allocations --fenced", "", ExitCode.HELP_TEXT})
final class AllocationsCommand extends Verb {
    @Option(names = "--container", paramLabel = "ID", description = "only this container's attachments")
    String container;

    @Option(names = "--pod", paramLabel = "NAMESPACE/NAME", description = "only this pod's (or NAME in any namespace)")
    String pod;

    @Option(names = "--address", paramLabel = "ADDRESS|CIDR", description = "only this address, or this subnet")
    String address;

    @Option(names = "--peer", paramLabel = "PEER", description = "only addresses in ranges owned by PEER (name or"
            + " name#uid); an address held here in a range another peer owns is fenced")
    String peer;

    @Option(names = "--network", paramLabel = "NAME", description = "only attachments on this CNI network")
    String network;

    @Option(names = "--fenced", description = "only the holds fenced here: pods still using addresses in ranges this"
            + " peer no longer owns (OWNER names who does), as weft status counts them. Restart those pods")
    boolean fenced;

    @Option(names = "--limit", defaultValue = "10000", description = "list at most this many (default:"
            + " ${DEFAULT-VALUE}, at most 30000)")
    int limit;

    @Override
    int run(DaemonLink link, PrintWriter out) {
        AllocationsRequest.Builder req = AllocationsRequest.newBuilder().setLimit(limit).setFenced(fenced);
        if (container != null) {
            req.setContainerId(container);
        }
        if (address != null) {
            req.setSubnet(subnet(address));
        }
        AllocationsReply reply = link.call(api -> api.allocations(req.build()));
        RingModel ring = RingModel.from(link.call(api -> api.ring(RingRequest.getDefaultInstance())));
        Listing l = new Listing().column("container", "CONTAINER").column("ifname", "IFNAME")
                .column("network", "NETWORK").column("address", "ADDRESS").column("pod", "POD")
                .column("owner", "OWNER");
        for (Hold h : reply.getHoldsList()) {
            String owner = ownerOf(ring, IPv4.parse(h.getAddress()));
            if (pod != null && !podMatches(h.getPod())) {
                continue;
            }
            String net = NetworkOption.shown(h.getAttachment().getNetwork());
            if (network != null && !net.equals(network)) {
                continue;
            }
            if (peer != null && !(owner.equals(peer) || owner.startsWith(peer + "#"))) {
                continue;
            }
            l.row(h.getAttachment().getContainerId(), h.getAttachment().getIfname(), net, h.getAddress(), h.getPod(),
                    owner);
        }
        print(out, l);
        if (reply.getTruncated()) {
            spec.commandLine().getErr().println("weft: more allocations matched than --limit " + limit
                    + " allows; narrow the filters or raise --limit");
        }
        return ExitCode.OK;
    }

    /** An exact address is asked for as a /32. */
    private static String subnet(String text) {
        try {
            return text.contains("/") ? Cidr.parse(text).toString() : IPv4.format(IPv4.parse(text)) + "/32";
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCode.USAGE, "--address '" + text + "' is neither an address nor a CIDR: "
                    + e.getMessage());
        }
    }

    private boolean podMatches(String held) {
        return held.equals(pod) || (!pod.contains("/") && held.endsWith("/" + pod));
    }

    private static String ownerOf(RingModel ring, long address) {
        for (RingModel.Arc a : ring.arcs()) {
            if (a.start() <= address && address < a.end()) {
                return a.owner();
            }
        }
        return "";
    }
}
