package dev.weft.daemon.cni;

import java.util.List;

/** The CNI spec versions weft speaks, and which verbs and result shapes each allows. */
public final class CniVersions {
    public static final List<String> SUPPORTED = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    /** What errors carry when the config's own version is unknown or unusable. */
    public static final String LATEST = "1.1.0";

    private CniVersions() {}

    public static boolean supported(String version) {
        return SUPPORTED.contains(version);
    }

    /** Before 1.0.0 each IP in a result says {@code "version":"4"}. */
    public static boolean ipsCarryVersion(String version) {
        return version.startsWith("0.");
    }

    /** CHECK came with 0.4.0. */
    public static boolean allowsCheck(String version) {
        return !version.startsWith("0.3.");
    }

    /** GC and STATUS came with 1.1.0, as did the extra route fields. */
    public static boolean isAtLeast11(String version) {
        return version.equals("1.1.0");
    }
}
