package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.AllocateReply;
import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.Attachment;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "claim", description = {"Records that an attachment holds ADDRESS (an address in use outside weft's"
        + " knowledge, or kept across a move). Claiming the address the attachment already holds is a no-op.",
    "The address must be in a range this peer owns; one held by another attachment is refused (exit 7)."},
        footer = {"%nExamples:", "  weft claim 10.32.0.9 --container 4f1c2a", "  weft claim 10.32.0.9 --container"
            + " 4f1c2a --ifname net1 -o json", "  weft claim 10.32.0.9 --container 4f1c2a --network storage", "", ExitCode.HELP_TEXT})
final class ClaimCommand extends Verb {
    @Parameters(paramLabel = "ADDRESS", description = "the address to claim")
    String address;

    @Option(names = "--container", required = true, paramLabel = "ID", description = "the container id")
    String container;

    @Option(names = "--ifname", defaultValue = "eth0", description = "the interface (default: ${DEFAULT-VALUE})")
    String ifname;

    @Mixin
    NetworkOption network;

    @Override
    int run(DaemonLink link, PrintWriter out) {
        AllocateReply r = link.call(api -> api.allocate(AllocateRequest.newBuilder()
                .setAttachment(Attachment.newBuilder().setContainerId(container).setIfname(ifname)
                        .setNetwork(network.wire()))
                .setAddress(address).build()));
        Listing l = new Listing().column("container", "CONTAINER").column("ifname", "IFNAME")
                .column("network", "NETWORK").column("address", "ADDRESS").column("prefix", "PREFIX");
        l.row(container, ifname, NetworkOption.shown(network.wire()), r.getAddress(), r.getPrefix());
        print(out, l);
        return ExitCode.OK;
    }
}
