package dev.weft.daemon.cli;

import dev.weft.daemon.config.SettingsParser;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command has: which daemon to ask, how to print, how long to wait. */
final class CommonOptions {
    @Option(names = "--socket", paramLabel = "PATH", defaultValue = "${env:WEFT_SOCKET}",
            description = "weftd's API socket (env WEFT_SOCKET; default as weftd's: /run/weft/weft.sock, or"
                    + " ./weft-run/weft.sock when weftd runs without root)")
    String socket;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, wide (more columns) or json (default: ${DEFAULT-VALUE})")
    Format output;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long to wait for the daemon's answer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    /** The socket given, else the one weftd would have chosen here: the default if present, else the fallback. */
    Path socket() {
        if (socket != null && !socket.isBlank()) {
            return Path.of(socket.trim());
        }
        if (!Files.exists(SettingsParser.DEFAULT_SOCKET) && Files.exists(SettingsParser.FALLBACK_SOCKET)) {
            return SettingsParser.FALLBACK_SOCKET;
        }
        return SettingsParser.DEFAULT_SOCKET;
    }

    DaemonLink connect() {
        return DaemonLink.open(socket(), timeoutSeconds);
    }
}
