package dev.weft.daemon.cni;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the CNI front end lives on the node. Unless given, each place follows weftd's own: the socket sits
 * beside the API socket, and the spool and the notes beside the data folder (never in it: that folder
 * holds the store alone). With the DaemonSet's {@code --data-dir /var/lib/weft} and the default API socket
 * that is /run/weft/cni.sock and /var/lib/weft-cni/{spool,notes} — the plugin's own defaults. Two weftds
 * with their own sockets and data folders (tests, several on one host) never share a CNI socket.
 *
 * @param socket the plugin's socket ({@code --cni-socket}, env WEFT_CNI_SOCKET)
 * @param spool where the plugin leaves DELs while weftd is away ({@code --cni-spool}, env WEFT_CNI_SPOOL)
 * @param notes pod names and ADD times of attachments ({@code --cni-notes}, env WEFT_CNI_NOTES)
 */
public record CniSettings(Path socket, Path spool, Path notes) {
    private static final int MAX_SOCKET_PATH = 107;

    /**
     * @param apiSocket weftd's API socket, beside which the CNI socket goes by default
     * @param dataDir weftd's data folder; the spool and notes go to {@code <dataDir>-cni/} by default
     * @throws IllegalArgumentException naming the flag, when a value cannot be used
     */
    public static CniSettings parse(String socket, String spool, String notes, Path apiSocket, Path dataDir) {
        Path s = given(socket) ? Path.of(socket.trim()) : apiSocket.resolveSibling("cni.sock");
        if (s.toAbsolutePath().normalize().equals(apiSocket.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--cni-socket (WEFT_CNI_SOCKET) " + s + " is the API socket too: give"
                    + " the CNI socket its own path, like " + apiSocket.resolveSibling("weft-cni.sock"));
        }
        if (s.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("--cni-socket (WEFT_CNI_SOCKET) " + s.toAbsolutePath() + " is longer"
                    + " than the " + MAX_SOCKET_PATH + " bytes a unix socket path may have: choose a shorter path");
        }
        Path state = dataDir.toAbsolutePath().normalize();
        state = state.resolveSibling(state.getFileName() + "-cni");
        Path sp = given(spool) ? Path.of(spool.trim()) : state.resolve("spool");
        Path n = given(notes) ? Path.of(notes.trim()) : state.resolve("notes");
        if (sp.toAbsolutePath().normalize().equals(n.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--cni-spool and --cni-notes are both " + sp + ": give each its own"
                    + " folder");
        }
        return new CniSettings(s, sp, n);
    }

    private static boolean given(String s) {
        return s != null && !s.isBlank();
    }
}
