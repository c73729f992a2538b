package dev.weft.daemon.cni;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code CNI_*} variables of one call, checked for its verb. Every fault is code 4 and names the
 * variable.
 *
 * @param args {@code CNI_ARGS} as key → value ({@code K=V;K=V})
 */
public record CniEnv(Verb verb, String containerId, String netns, String ifname, Map<String, String> args) {

    /** The spec's container id rule. */
    private static final Pattern CONTAINER_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.\\-]*");
    /** The CNI_ARGS keys weft reads; any other needs {@code IgnoreUnknown=1}, as in the reference plugins. */
    private static final java.util.Set<String> KNOWN_ARGS = java.util.Set.of("IgnoreUnknown", "IP",
            "K8S_POD_NAMESPACE", "K8S_POD_NAME", "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID");
    static final int MAX_CONTAINER_ID = 1024;
    /** Linux IFNAMSIZ less the terminating NUL. */
    static final int MAX_IFNAME = 15;

    public static CniEnv parse(Map<String, String> env) throws CniError {
        String command = env.get("CNI_COMMAND");
        if (command == null || command.isEmpty()) {
            throw bad("CNI_COMMAND is not set", "set CNI_COMMAND to ADD, DEL, CHECK, GC, STATUS or VERSION");
        }
        Verb verb = Verb.named(command);
        if (verb == null) {
            throw bad("CNI_COMMAND '" + printable(command) + "' is unknown",
                    "use ADD, DEL, CHECK, GC, STATUS or VERSION (upper case)");
        }
        String containerId = env.get("CNI_CONTAINERID");
        if (verb.needsContainer) {
            require(containerId, "CNI_CONTAINERID");
            if (containerId.length() > MAX_CONTAINER_ID || !CONTAINER_ID.matcher(containerId).matches()) {
                throw bad("CNI_CONTAINERID '" + printable(containerId) + "' is not a valid container id",
                        "a container id starts with a letter or digit, then letters, digits, '_', '.', '-'; at most "
                                + MAX_CONTAINER_ID + " characters");
            }
        }
        String netns = env.get("CNI_NETNS");
        if (verb.needsNetns) {
            require(netns, "CNI_NETNS");
        }
        String ifname = env.get("CNI_IFNAME");
        if (verb.needsIfname) {
            require(ifname, "CNI_IFNAME");
            checkIfname(ifname);
        }
        if (verb.needsPath) {
            require(env.get("CNI_PATH"), "CNI_PATH");
        }
        return new CniEnv(verb, containerId, netns, ifname, parseArgs(env.getOrDefault("CNI_ARGS", "")));
    }

    public String podNamespace() {
        return args.get("K8S_POD_NAMESPACE");
    }

    public String podName() {
        return args.get("K8S_POD_NAME");
    }

    public String podUid() {
        return args.get("K8S_POD_UID");
    }

    private static void require(String value, String name) throws CniError {
        if (value == null || value.isEmpty()) {
            throw bad(name + " is not set", "the runtime must set " + name + " for this command");
        }
    }

    private static void checkIfname(String ifname) throws CniError {
        if (ifname.length() > MAX_IFNAME || ifname.equals(".") || ifname.equals("..")) {
            throw bad("CNI_IFNAME '" + printable(ifname) + "' is not a valid interface name",
                    "an interface name is 1 to " + MAX_IFNAME + " characters and not '.' or '..'");
        }
        for (int i = 0; i < ifname.length(); i++) {
            char c = ifname.charAt(i);
            if (c == '/' || c == ':' || c <= ' ' || c >= 0x7f) {
                throw bad("CNI_IFNAME '" + printable(ifname) + "' has a forbidden character at " + i,
                        "an interface name holds no '/', ':', spaces or non-ASCII characters");
            }
        }
    }

    private static Map<String, String> parseArgs(String raw) throws CniError {
        if (raw.isEmpty()) {
            return Map.of();
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (String pair : raw.split(";", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw bad("CNI_ARGS entry '" + printable(pair) + "' is not KEY=VALUE",
                        "write CNI_ARGS as KEY=VALUE pairs separated by ';'");
            }
            args.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        String ignore = args.getOrDefault("IgnoreUnknown", "0");
        if (!ignore.equals("1") && !ignore.equalsIgnoreCase("true")) {
            for (String key : args.keySet()) {
                if (!KNOWN_ARGS.contains(key)) {
                    throw bad("CNI_ARGS key '" + printable(key) + "' is unknown to weft-ipam",
                            "add IgnoreUnknown=1 to CNI_ARGS, or drop the key");
                }
            }
        }
        return Collections.unmodifiableMap(args);
    }

    /** Keeps a hostile value from flooding a log or an error line. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < ' ' || c == 0x7f ? '?' : c);
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }

    private static CniError bad(String msg, String details) {
        return new CniError(CniError.BAD_ENVIRONMENT, msg, details);
    }
}
