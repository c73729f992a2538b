package dev.weft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.address.Cidr;
import dev.weft.core.node.CoreConfig;
import dev.weft.daemon.config.SettingsParser;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DaemonSet's pod as the issue asks for it (host network, critical priority, every node, one node at a
 * time), and weftd's container as weftd reads it: its environment, ports and probes.
 */
final class PodRules {
    private static final Pattern REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    /** Downward-API variables weftd's Kubernetes mode reads, and where each must come from. */
    static final Map<String, String> DOWNWARD = Map.of("NODE_NAME", "spec.nodeName",
            "POD_NAMESPACE", "metadata.namespace");

    private PodRules() {}

    static void check(DeployCheck.Context c) {
        String ds = c.pod().daemonSet().label();
        JsonNode d = c.pod().daemonSet().node();
        JsonNode spec = c.pod().spec();
        expect(c, ds, spec.path("hostNetwork").asBoolean(false), "spec.template.spec.hostNetwork must be true");
        expect(c, ds, spec.path("dnsPolicy").asText().equals("ClusterFirstWithHostNet"),
                "dnsPolicy must be ClusterFirstWithHostNet (cluster DNS on the host network)");
        expect(c, ds, spec.path("priorityClassName").asText().equals("system-node-critical"),
                "priorityClassName must be system-node-critical");
        boolean everywhere = false;
        for (JsonNode t : spec.path("tolerations")) {
            everywhere |= t.path("operator").asText().equals("Exists") && !t.has("key") && !t.has("effect");
        }
        expect(c, ds, everywhere, "needs a toleration {operator: Exists} with no key or effect, to run on every node");
        expect(c, ds, d.at("/spec/updateStrategy/type").asText().equals("RollingUpdate")
                && d.at("/spec/updateStrategy/rollingUpdate/maxUnavailable").asText().equals("1"),
                "updateStrategy must be RollingUpdate with maxUnavailable 1 (one node at a time)");
        JsonNode labels = d.at("/spec/template/metadata/labels");
        for (Iterator<Map.Entry<String, JsonNode>> it = d.at("/spec/selector/matchLabels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            expect(c, ds, labels.path(e.getKey()).asText("\0").equals(e.getValue().asText()),
                    "selector label " + e.getKey() + "=" + e.getValue().asText() + " is not on the pod template");
        }
        String image = null;
        for (JsonNode ct : c.pod().allContainers()) {
            String i = ct.path("image").asText();
            if (image != null && !i.equals(image)) {
                c.problem(ds + ": container " + ct.path("name").asText() + " runs " + i + ", the others " + image
                        + ": one image holds weftd, the plugin and install-cni, at one version");
            }
            image = i;
        }
        String version = c.flags().version();
        expect(c, ds, image != null && image.endsWith(":" + version),
                "image " + image + " must be tagged with weftd's version " + version);
        expect(c, ds, !spec.path("volumes").toString().contains("\"emptyDir\""),
                "no emptyDir: weft's state lives on the node (hostPath), or a restarted pod loses it");
        environment(c, ds);
        ports(c, ds);
        resources(c, ds);
    }

    static void expect(DeployCheck.Context c, String where, boolean ok, String what) {
        if (!ok) {
            c.problem(where + ": " + what);
        }
    }

    private static void environment(DeployCheck.Context c, String ds) {
        JsonNode w = c.weftd();
        Map<String, JsonNode> env = new HashMap<>();
        w.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        Set<String> weftEnv = c.flags().envNames();
        for (Map.Entry<String, String> need : DOWNWARD.entrySet()) {
            JsonNode e = env.get(need.getKey());
            expect(c, ds, e != null && e.at("/valueFrom/fieldRef/fieldPath").asText().equals(need.getValue()),
                    "weftd needs env " + need.getKey() + " from the downward API fieldRef " + need.getValue());
        }
        for (String name : env.keySet()) {
            expect(c, ds, !name.startsWith("WEFT_") || weftEnv.contains(name),
                    "env " + name + " is not a variable weftd reads (" + weftEnv + ")");
        }
        for (String arg : Pod.strings(w.path("args"))) {
            Matcher m = REF.matcher(arg);
            while (m.find()) {
                expect(c, ds, env.containsKey(m.group(1)), "argument " + arg + " refers to $(" + m.group(1)
                        + "), which the container's env does not define (Kubernetes would pass it literally)");
            }
        }
        for (JsonNode from : w.path("envFrom")) {
            String cm = from.at("/configMapRef/name").asText();
            KubeObject map = c.manifests().find("ConfigMap", cm).orElse(null);
            if (map == null) {
                c.problem(ds + ": envFrom names ConfigMap " + cm + ", which is not defined");
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = map.node().path("data").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                expect(c, map.label(), weftEnv.contains(e.getKey()),
                        e.getKey() + " is not a variable weftd reads (" + weftEnv + ")");
                if (e.getKey().equals("WEFT_RANGE")) {
                    range(c, map.label(), e.getValue().asText());
                }
            }
        }
    }

    /** The shipped range is weft's default, which is Weave Net's too: the migration guide relies on it. */
    private static void range(DeployCheck.Context c, String where, String text) {
        try {
            Cidr r = Cidr.parse(text);
            expect(c, where, r.equals(CoreConfig.DEFAULT_UNIVERSE), "WEFT_RANGE " + r + " is not weft's default "
                    + CoreConfig.DEFAULT_UNIVERSE + " (Weave Net's too, which docs/operations.md relies on)");
        } catch (IllegalArgumentException e) {
            c.problem(where + ": WEFT_RANGE '" + text + "' is not a CIDR: " + e.getMessage());
        }
    }

    private static void ports(DeployCheck.Context c, String ds) {
        JsonNode w = c.weftd();
        Map<String, Integer> byName = new HashMap<>();
        for (JsonNode p : w.path("ports")) {
            int port = p.path("containerPort").asInt();
            byName.put(p.path("name").asText(), port);
            expect(c, ds, !p.has("hostPort") || p.path("hostPort").asInt() == port,
                    "port " + p.path("name").asText() + ": hostPort must equal containerPort on the host network");
        }
        int metrics = port(c.args().get("--metrics-address"), SettingsParser.DEFAULT_METRICS_PORT);
        int listen = port(c.args().get("--listen"), SettingsParser.DEFAULT_PEER_PORT);
        expect(c, ds, Integer.valueOf(metrics).equals(byName.get("metrics")), "containerPort 'metrics' is "
                + byName.get("metrics") + " but weftd serves /metrics, /healthz and /readyz on " + metrics);
        expect(c, ds, Integer.valueOf(listen).equals(byName.get("peer")), "containerPort 'peer' is "
                + byName.get("peer") + " but weftd listens for peers on " + listen);
        String advertise = c.args().get("--advertise");
        expect(c, ds, advertise == null || port(advertise, listen) == listen,
                "--advertise " + advertise + " names another port than --listen's " + listen);
        probe(c, ds, "readinessProbe", "/readyz", metrics, byName);
        probe(c, ds, "livenessProbe", "/healthz", metrics, byName);
    }

    private static void probe(DeployCheck.Context c, String ds, String which, String path, int metrics,
            Map<String, Integer> byName) {
        JsonNode get = c.weftd().path(which).path("httpGet");
        String p = get.path("path").asText();
        expect(c, ds, p.equals(path), which + " must GET " + path + ", not '" + p + "'");
        expect(c, ds, HttpPaths.served(p), which + " path '" + p + "' is not served by weftd's HttpEndpoint");
        JsonNode port = get.path("port");
        Integer n = port.isInt() ? Integer.valueOf(port.asInt()) : byName.get(port.asText());
        expect(c, ds, Integer.valueOf(metrics).equals(n), which + " port " + port.asText() + " is not weftd's"
                + " metrics port " + metrics);
    }

    /** The port of weftd's HOST:PORT text, or the default when the flag is not given. */
    static int port(String hostPort, int fallback) {
        if (hostPort == null) {
            return fallback;
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? fallback : Integer.parseInt(hostPort.substring(colon + 1));
    }

    private static void resources(DeployCheck.Context c, String ds) {
        for (JsonNode ct : c.pod().allContainers()) {
            JsonNode r = ct.path("resources");
            String name = ct.path("name").asText();
            for (String f : new String[] {"/requests/cpu", "/requests/memory", "/limits/memory"}) {
                expect(c, ds, !r.at(f).asText().isEmpty(), "container " + name + " needs resources" + f.replace('/', '.'));
            }
            if (!r.at("/requests/memory").asText().isEmpty() && !r.at("/limits/memory").asText().isEmpty()) {
                expect(c, ds, Quantity.bytes(r.at("/requests/memory").asText())
                        <= Quantity.bytes(r.at("/limits/memory").asText()),
                        "container " + name + ": memory request above its limit");
            }
        }
    }
}
