package dev.weft.daemon.route;

/**
 * Host routes are on ({@code --host-routes}), and the pods' bridge is {@code bridge} ({@code --bridge}): the
 * name the CNI config's {@code bridge} plugin uses, on which weftd turns proxy-ARP on.
 */
public record RouteSettings(String bridge) {
    public static final String DEFAULT_BRIDGE = "weft0";

    public RouteSettings {
        String why = badName(bridge);
        if (why != null) {
            throw new IllegalArgumentException("--bridge (WEFT_BRIDGE) '" + bridge + "' " + why + ": give the bridge"
                    + " name of the CNI config's bridge plugin (default " + DEFAULT_BRIDGE + ")");
        }
    }

    /**
     * The settings when {@code on}, else null. The bridge name is checked either way (a typo is reported even
     * while routes are off), empty or null meaning the default.
     */
    public static RouteSettings parse(boolean on, String bridge) {
        RouteSettings s = new RouteSettings(bridge == null || bridge.isBlank() ? DEFAULT_BRIDGE : bridge.strip());
        return on ? s : null;
    }

    /** Linux's rule for interface names (dev_valid_name): 1 to 15 bytes, not . or .., no '/', ':' or space. */
    private static String badName(String name) {
        if (name == null || name.isEmpty() || name.length() > 15) {
            return "is not 1 to 15 characters long";
        }
        if (name.equals(".") || name.equals("..")) {
            return "is not an interface name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || c <= ' ' || c >= 0x7f) {
                return "has '" + c + "' at " + i + ", which no interface name may hold";
            }
        }
        return null;
    }
}
