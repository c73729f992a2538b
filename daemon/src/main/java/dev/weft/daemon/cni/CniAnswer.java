package dev.weft.daemon.cni;

/**
 * What the plugin prints on stdout and the status it exits with.
 *
 * @param code the CNI error code (0 on success); not sent to the plugin, whose stdout already carries it
 */
public record CniAnswer(int exitCode, String stdout, int code) {
    public CniAnswer {
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("an exit code is 0 to 255, got " + exitCode);
        }
    }

    public static CniAnswer ok(String stdout) {
        return new CniAnswer(0, stdout, 0);
    }
}
