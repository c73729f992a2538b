package dev.weft.cni;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * weft-ipam, the Java build: forwards its {@code CNI_*} variables and stdin to weftd over the CNI socket,
 * prints the answer and exits with its code. It parses no JSON; it answers VERSION itself. Start-up is its
 * whole cost, so it touches as few classes as it can (no lambdas, no regex, no formatting; compiled with
 * {@code -XDstringConcat=inline}).
 */
public final class WeftIpam {
    static final String DEFAULT_SOCKET = "/run/weft/cni.sock";
    static final String DEFAULT_SPOOL = "/var/lib/weft-cni/spool";
    static final String VERSION_JSON =
            "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}";
    private static final int DEFAULT_TIMEOUT_SECONDS = 30;

    private WeftIpam() {}

    public static void main(String[] args) {
        int code = run(System.getenv(), System.in, System.out);
        System.out.flush();
        System.exit(code);
    }

    static int run(Map<String, String> environment, InputStream stdin, PrintStream out) {
        String command = environment.get("CNI_COMMAND");
        if ("VERSION".equals(command)) {
            out.print(VERSION_JSON);
            return 0;
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getKey().startsWith("CNI_")) {
                env.put(e.getKey(), e.getValue());
            }
        }
        byte[] input;
        try {
            input = stdin.readNBytes(PluginFrame.MAX_STDIN + 1);
        } catch (IOException e) {
            out.print(PluginErrors.json(5, "weft-ipam could not read stdin", e.toString()));
            return 1;
        }
        String socket = orDefault(environment.get("WEFT_CNI_SOCKET"), DEFAULT_SOCKET);
        try {
            PluginFrame.Answer answer = PluginFrame.call(Path.of(socket), env, input, timeoutMillis(environment));
            out.write(answer.stdout, 0, answer.stdout.length);
            return answer.exitCode;
        } catch (IOException e) {
            return daemonAbsent(command, socket, environment, env, input, e, out);
        }
    }

    private static int daemonAbsent(String command, String socket, Map<String, String> environment,
            Map<String, String> env, byte[] input, IOException why, PrintStream out) {
        String reason = why.getMessage() != null ? why.getMessage() : why.toString();
        if ("DEL".equals(command)) {
            String spool = orDefault(environment.get("WEFT_CNI_SPOOL"), DEFAULT_SPOOL);
            try {
                Spool.write(Path.of(spool), env, input);
                return 0;
            } catch (IOException e) {
                out.print(PluginErrors.json(11, "weftd is not reachable on " + socket + " (" + reason
                        + ") and the DEL could not be spooled in " + spool, e.toString()));
                return 1;
            }
        }
        if ("STATUS".equals(command)) {
            out.print(PluginErrors.json(50, "weftd is not reachable on " + socket + " (" + reason + ")",
                    "start weftd, or set WEFT_CNI_SOCKET to its CNI socket"));
            return 1;
        }
        out.print(PluginErrors.json(11, "weftd is not reachable on " + socket + " (" + reason + ")",
                "try again later; start weftd, or set WEFT_CNI_SOCKET to its CNI socket"));
        return 1;
    }

    private static long timeoutMillis(Map<String, String> environment) {
        String t = environment.get("WEFT_CNI_TIMEOUT");
        long seconds = DEFAULT_TIMEOUT_SECONDS;
        if (t != null && !t.isEmpty()) {
            try {
                seconds = Long.parseLong(t);
            } catch (NumberFormatException e) {
                seconds = DEFAULT_TIMEOUT_SECONDS;
            }
        }
        return Math.max(1, seconds) * 1000;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
