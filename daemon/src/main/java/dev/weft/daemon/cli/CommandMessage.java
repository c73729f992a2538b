package dev.weft.daemon.cli;

import java.io.PrintWriter;

/** Prints the one-sentence answer of an operator command (rmpeer, leave) as text or as {"message": ...}. */
final class CommandMessage {
    private CommandMessage() {}

    static void print(PrintWriter out, Format format, String message) {
        out.print(format == Format.json ? Listing.pretty(Listing.JSON.createObjectNode().put("message", message))
                : message + "\n");
        out.flush();
    }
}
