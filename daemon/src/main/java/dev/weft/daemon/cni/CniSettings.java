package dev.weft.daemon.cni;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Where the CNI front end lives on the node.
 *
 * @param socket the plugin's socket ({@code --cni-socket}, env WEFT_CNI_SOCKET, default /run/weft/cni.sock)
 * @param spool where the plugin leaves DELs while weftd is away ({@code --cni-spool}, env WEFT_CNI_SPOOL,
 *              default /var/lib/weft-cni/spool; the plugin's own default is the same)
 * @param notes pod names and ADD times of attachments ({@code --cni-notes}, env WEFT_CNI_NOTES, default
 *              /var/lib/weft-cni/notes); kept out of the data folder, which holds the store alone
 */
public record CniSettings(Path socket, Path spool, Path notes) {
    public static final Path DEFAULT_SOCKET = Path.of("/run/weft/cni.sock");
    public static final Path DEFAULT_SPOOL = Path.of("/var/lib/weft-cni/spool");
    public static final Path DEFAULT_NOTES = Path.of("/var/lib/weft-cni/notes");
    /** Used when the defaults' folders are not writable (weftd run by hand, not as root). */
    public static final Path FALLBACK_SOCKET = Path.of("weft-run", "cni.sock");
    public static final Path FALLBACK_SPOOL = Path.of("weft-cni", "spool");
    public static final Path FALLBACK_NOTES = Path.of("weft-cni", "notes");
    private static final int MAX_SOCKET_PATH = 107;

    /**
     * @param writable whether a default's folder can be used (else the fallback under the working folder is)
     * @throws IllegalArgumentException naming the flag, when a value cannot be used
     */
    public static CniSettings parse(String socket, String spool, String notes, Predicate<Path> writable) {
        Path s = pick(socket, DEFAULT_SOCKET, FALLBACK_SOCKET, writable);
        if (s.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("--cni-socket (WEFT_CNI_SOCKET) " + s.toAbsolutePath() + " is longer"
                    + " than the " + MAX_SOCKET_PATH + " bytes a unix socket path may have: choose a shorter path");
        }
        Path sp = pick(spool, DEFAULT_SPOOL, FALLBACK_SPOOL, writable);
        Path n = pick(notes, DEFAULT_NOTES, FALLBACK_NOTES, writable);
        if (sp.toAbsolutePath().normalize().equals(n.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--cni-spool and --cni-notes are both " + sp + ": give each its own"
                    + " folder");
        }
        return new CniSettings(s, sp, n);
    }

    private static Path pick(String given, Path preferred, Path fallback, Predicate<Path> writable) {
        if (given != null && !given.isBlank()) {
            return Path.of(given.trim());
        }
        return writable.test(preferred.getParent()) ? preferred : fallback;
    }
}
