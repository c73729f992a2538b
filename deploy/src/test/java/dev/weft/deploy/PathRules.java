package dev.weft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.daemon.cni.CniSettings;
import dev.weft.daemon.config.SettingsParser;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every path weftd uses, as its flags and its own defaults make it, lies on a volume that fits: the store on
 * the node (hostPath, never emptyDir), the sockets and the CNI spool on the node at the very path the
 * plugin on the host uses, the runtime's results read-only, the CA from the Secret deploy/README.md makes.
 */
final class PathRules {
    private static final Pattern PLUGIN_DEFAULT = Pattern.compile("env_or\\(\"(WEFT_CNI_[A-Z]+)\",\\s*\"([^\"]+)\"\\)");
    private static final Pattern SECRET = Pattern.compile(
            "kubectl\\s+(?:-n\\s+(\\S+)\\s+)?create\\s+secret\\s+generic\\s+(\\S+)((?:\\s+--from-file=\\S+)+)");

    private PathRules() {}

    static void check(DeployCheck.Context c) {
        String ds = c.pod().daemonSet().label();
        JsonNode w = c.weftd();
        String data = Optional.ofNullable(c.args().get("--data-dir")).orElse(SettingsParser.DEFAULT_DATA.toString());
        String socket = Optional.ofNullable(c.args().get("--socket")).orElse(SettingsParser.DEFAULT_SOCKET.toString());
        PodRules.expect(c, ds, data.startsWith("/"), "--data-dir " + data + " must be absolute: weftd's default"
                + " is relative to its working folder, inside the container");
        onNode(c, ds, "--data-dir (the store)", data, "DirectoryOrCreate", false);
        onNode(c, ds, "--socket (the API socket's folder)", parent(socket), "DirectoryOrCreate", true);
        CniSettings cni;
        try {
            cni = CniSettings.parse(c.args().get("--cni-socket"), c.args().get("--cni-spool"),
                    c.args().get("--cni-notes"), Path.of(socket), Path.of(data));
        } catch (IllegalArgumentException e) {
            c.problem(ds + ": weftd refuses its CNI settings: " + e.getMessage());
            return;
        }
        onNode(c, ds, "the CNI socket's folder", parent(cni.socket().toString()), "DirectoryOrCreate", true);
        onNode(c, ds, "the CNI DEL spool", cni.spool().toString(), "DirectoryOrCreate", true);
        onNode(c, ds, "the CNI attachment notes", cni.notes().toString(), "DirectoryOrCreate", false);
        String pluginSource = c.sources().text(Sources.PLUGIN);
        Matcher m = PLUGIN_DEFAULT.matcher(pluginSource);
        Set<String> seen = new HashSet<>();
        while (m.find()) {
            String mine = switch (m.group(1)) {
                case "WEFT_CNI_SOCKET" -> cni.socket().toString();
                case "WEFT_CNI_SPOOL" -> cni.spool().toString();
                default -> null;
            };
            if (mine != null) {
                seen.add(m.group(1));
                PodRules.expect(c, ds, mine.equals(m.group(2)), "weftd's " + m.group(1) + " is " + mine
                        + " but the installed weft-ipam (" + Sources.PLUGIN + ") uses " + m.group(2)
                        + ": the plugin would not find the daemon");
            }
        }
        PodRules.expect(c, ds, seen.size() == 2, "cannot read the plugin's default socket and spool from "
                + Sources.PLUGIN);
        String results = c.args().get("--cni-results-dir");
        if (results != null) {
            Optional<Pod.Mounted> r = c.pod().mountFor(w, results);
            PodRules.expect(c, ds, r.isPresent() && r.get().readOnly() && results.equals(r.get().hostPathOf(results)),
                    "--cni-results-dir " + results + " must be the node's same folder, mounted read-only");
        }
        ca(c, ds);
        Set<String> mounted = new HashSet<>();
        for (JsonNode ct : c.pod().allContainers()) {
            for (JsonNode mount : ct.path("volumeMounts")) {
                String name = mount.path("name").asText();
                mounted.add(name);
                PodRules.expect(c, ds, c.pod().volume(name).isPresent(), "container " + ct.path("name").asText()
                        + " mounts volume " + name + ", which is not defined");
            }
        }
        for (JsonNode v : c.pod().spec().path("volumes")) {
            PodRules.expect(c, ds, mounted.contains(v.path("name").asText()),
                    "volume " + v.path("name").asText() + " is mounted by no container");
        }
    }

    private static String parent(String path) {
        Path p = Path.of(path).getParent();
        return p == null ? "/" : p.toString();
    }

    /**
     * {@code path} lies on a hostPath volume of {@code type}, writable; with {@code samePath}, at the same
     * path on the node as in the container (the plugin and the CLI on the host use the node's paths).
     */
    private static void onNode(DeployCheck.Context c, String ds, String what, String path, String type,
            boolean samePath) {
        Optional<Pod.Mounted> m = c.pod().mountFor(c.weftd(), path);
        if (m.isEmpty()) {
            c.problem(ds + ": " + what + " " + path + " is on no volume: it would live in the container and die"
                    + " with it; mount a hostPath there");
            return;
        }
        String host = m.get().hostPathOf(path);
        PodRules.expect(c, ds, host != null, what + " " + path + " must be on a hostPath volume, not "
                + m.get().volume().path("name").asText() + " " + m.get().volume());
        PodRules.expect(c, ds, host == null || m.get().hostPathType().equals(type), what + ": hostPath type must be "
                + type);
        PodRules.expect(c, ds, !m.get().readOnly(), what + " " + path + " is mounted read-only; weftd writes there");
        PodRules.expect(c, ds, host == null || !samePath || host.equals(path), what + " is " + path
                + " in the container but " + host + " on the node; the plugin and the CLI on the node use the"
                + " node's path, so mount the node's " + path + " at " + path);
    }

    /** --ca-cert and --ca-key come from the Secret that deploy/README.md tells the operator to create. */
    private static void ca(DeployCheck.Context c, String ds) {
        Matcher m = SECRET.matcher(c.sources().text(Sources.README));
        if (!m.find()) {
            c.problem(Sources.README + ": no 'kubectl -n kube-system create secret generic NAME --from-file=...'"
                    + " line for the cluster CA");
            return;
        }
        String secret = m.group(2);
        PodRules.expect(c, Sources.README, DeployCheck.NAMESPACE.equals(m.group(1)),
                "the CA Secret must be created in " + DeployCheck.NAMESPACE + " (kubectl -n " + DeployCheck.NAMESPACE + ")");
        Set<String> keys = new HashSet<>();
        for (String f : m.group(3).trim().split("\\s+")) {
            String file = f.substring("--from-file=".length());
            keys.add(file.contains("=") ? file.substring(0, file.indexOf('=')) : Path.of(file).getFileName().toString());
        }
        for (String flag : new String[] {"--ca-cert", "--ca-key"}) {
            String file = c.args().get(flag);
            if (file == null) {
                c.problem(ds + ": weftd needs " + flag + " (peers authenticate by mutual TLS under the cluster CA)");
                continue;
            }
            Optional<Pod.Mounted> mounted = c.pod().mountFor(c.weftd(), file);
            JsonNode sv = mounted.map(x -> x.volume().path("secret")).orElse(null);
            if (sv == null || sv.isMissingNode()) {
                c.problem(ds + ": " + flag + " " + file + " is on no Secret volume");
                continue;
            }
            PodRules.expect(c, ds, sv.path("secretName").asText().equals(secret), flag + " comes from Secret "
                    + sv.path("secretName").asText() + " but " + Sources.README + " creates " + secret);
            String rel = file.substring(mounted.get().mountPath().length() + 1);
            String key = rel;
            for (JsonNode item : sv.path("items")) {
                if (item.path("path").asText().equals(rel)) {
                    key = item.path("key").asText();
                }
            }
            PodRules.expect(c, ds, keys.contains(key), flag + " " + file + " is the Secret's key '" + key
                    + "', which " + Sources.README + "'s command does not create (it makes " + keys + ")");
        }
    }
}
