package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.LeaveRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "leave", description = "Hands every range this peer owns to live peers before its node goes away"
        + " for good. Refused while it still holds addresses, unless --force.",
        footer = {"%nExamples:", "  weft leave", "  weft leave --force", "", ExitCode.HELP_TEXT})
final class LeaveCommand extends Verb {
    @Option(names = "--force", description = "leave even though attachments still hold addresses here")
    boolean force;

    @Override
    int run(DaemonLink link, PrintWriter out) {
        String msg = link.call(api -> api.leave(LeaveRequest.newBuilder().setForce(force).build())).getMessage();
        CommandMessage.print(out, format(), msg);
        return ExitCode.OK;
    }
}
