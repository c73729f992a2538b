package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.api.v1.GcRequest;
import dev.weft.daemon.api.v1.ReleaseReply;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "gc", description = {"Frees every attachment held here that is not in the list of valid ones (the"
        + " containers that still exist on this node), and prints what was freed.",
    "FILE has one attachment a line: CONTAINER_ID [IFNAME] (IFNAME defaults to eth0); blank lines and lines starting"
        + " with # are skipped; - reads standard input. An empty list frees everything: weft refuses it unless"
        + " --allow-empty. Only attachments on --network are considered; the others are left alone."},
        footer = {"%nExamples:", "  crictl ps -aq --no-trunc | weft gc --valid -",
            "  weft gc --valid live.txt -o json",
            "  weft gc --valid storage-live.txt --network storage", "", ExitCode.HELP_TEXT})
final class GcCommand extends Verb {
    @Option(names = "--valid", required = true, paramLabel = "FILE", description = "the valid attachments, or - for"
            + " standard input")
    String valid;

    @Option(names = "--allow-empty", description = "accept an empty list (frees every attachment held here)")
    boolean allowEmpty;

    @Mixin
    NetworkOption network;

    @Override
    int run(DaemonLink link, PrintWriter out) {
        GcRequest req = GcRequest.newBuilder().setNetwork(network.wire()).addAllValid(read()).build();
        if (req.getValidCount() == 0 && !allowEmpty) {
            throw new CliFailure(ExitCode.USAGE, "the list of valid attachments in " + valid + " is empty, which would"
                    + " free every address held here; check the file, or add --allow-empty if that is meant");
        }
        ReleaseReply r = link.call(api -> api.gc(req));
        print(out, HoldListing.of(r.getFreedList()));
        return ExitCode.OK;
    }

    private List<Attachment> read() {
        List<String> lines;
        try {
            lines = valid.equals("-")
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
                    : Files.readAllLines(Path.of(valid), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.USAGE, "cannot read the valid attachments from " + valid + ": " + e);
        }
        return parse(lines, valid);
    }

    static List<Attachment> parse(List<String> lines, String source) {
        java.util.ArrayList<Attachment> out = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length > 2) {
                throw new CliFailure(ExitCode.USAGE, source + " line " + (i + 1) + ": '" + line + "' has "
                        + parts.length + " words; write CONTAINER_ID [IFNAME]");
            }
            out.add(Attachment.newBuilder().setContainerId(parts[0]).setIfname(parts.length == 2 ? parts[1] : "eth0")
                    .build());
        }
        return out;
    }
}
