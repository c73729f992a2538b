package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.api.v1.ReleaseContainerRequest;
import dev.weft.daemon.api.v1.ReleaseReply;
import dev.weft.daemon.api.v1.ReleaseRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "release", description = "Frees what a container holds here: one interface with --ifname, else every"
        + " interface of it. Releasing what is not held succeeds and frees nothing. Only for containers that are"
        + " gone: a live pod keeps using its address.",
        footer = {"%nExamples:", "  weft release --container 4f1c2a", "  weft release --container 4f1c2a --ifname"
            + " net1 -o json", "  weft release --container 4f1c2a --network storage", "", ExitCode.HELP_TEXT})
final class ReleaseCommand extends Verb {
    @Option(names = "--container", required = true, paramLabel = "ID", description = "the container id")
    String container;

    @Option(names = "--ifname", description = "only this interface")
    String ifname;

    @Mixin
    NetworkOption network;

    @Override
    int run(DaemonLink link, PrintWriter out) {
        ReleaseReply r = ifname == null
                ? link.call(api -> api.releaseContainer(ReleaseContainerRequest.newBuilder().setContainerId(container)
                        .setNetwork(network.wire())
                        .build()))
                : link.call(api -> api.release(ReleaseRequest.newBuilder().setAttachment(Attachment.newBuilder()
                        .setContainerId(container).setIfname(ifname).setNetwork(network.wire())).build()));
        print(out, HoldListing.of(r.getFreedList()));
        return ExitCode.OK;
    }
}
