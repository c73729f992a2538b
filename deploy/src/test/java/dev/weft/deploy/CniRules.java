package dev.weft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.core.node.CoreConfig;
import dev.weft.daemon.cni.ConflistProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The init container installs the plugin under the name the conflist's ipam.type calls, and a conflist that
 * weftd's own parser accepts, whose bridge is the one weftd keeps proxy-ARP and routes for; both land in the
 * node's CNI folders.
 */
final class CniRules {
    static final String PLUGIN = "weft-ipam";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CniRules() {}

    static void check(DeployCheck.Context c) {
        String ds = c.pod().daemonSet().label();
        JsonNode init = c.pod().container(DeployCheck.INSTALLER).orElse(null);
        if (init == null) {
            c.problem(ds + ": no init container " + DeployCheck.INSTALLER);
            return;
        }
        List<String> cmd = Pod.strings(init.path("command"));
        if (cmd.size() != 5 || !cmd.get(0).endsWith("/" + DeployCheck.INSTALLER)) {
            c.problem(ds + ": init container command must be install-cni PLUGIN CONFLIST CNI_BIN_DIR CNI_CONF_DIR,"
                    + " not " + cmd);
            return;
        }
        PodRules.expect(c, ds, Path.of(cmd.get(1)).getFileName().toString().equals(PLUGIN),
                "install-cni installs " + cmd.get(1) + " as weft-ipam; give it the image's weft-ipam");
        nodeFolder(c, ds, init, cmd.get(3), "/opt/cni/bin");
        nodeFolder(c, ds, init, cmd.get(4), "/etc/cni/net.d");
        Optional<Pod.Mounted> m = c.pod().mountFor(init, cmd.get(2));
        JsonNode cmRef = m.map(x -> x.volume().path("configMap")).orElse(null);
        if (cmRef == null || cmRef.isMissingNode()) {
            c.problem(ds + ": the conflist " + cmd.get(2) + " is on no ConfigMap volume");
            return;
        }
        String key = cmd.get(2).substring(m.get().mountPath().length() + 1);
        KubeObject cm = c.manifests().find("ConfigMap", cmRef.path("name").asText()).orElse(null);
        if (cm == null || !cm.node().path("data").has(key)) {
            c.problem(ds + ": ConfigMap " + cmRef.path("name").asText() + " has no key " + key + " for the conflist");
            return;
        }
        PodRules.expect(c, cm.label(), key.endsWith(".conflist"), "key " + key + " must end in .conflist, or"
                + " runtimes will not read it as a config list");
        conflist(c, cm.label(), cm.node().path("data").path(key).asText());
    }

    private static void nodeFolder(DeployCheck.Context c, String ds, JsonNode init, String path, String node) {
        Optional<Pod.Mounted> m = c.pod().mountFor(init, path);
        PodRules.expect(c, ds, m.isPresent() && node.equals(m.get().hostPathOf(path)) && !m.get().readOnly(),
                "install-cni writes " + path + ", which must be the node's " + node + " (a writable hostPath)");
    }

    private static void conflist(DeployCheck.Context c, String where, String text) {
        JsonNode list;
        try {
            list = JSON.readTree(text);
        } catch (IOException e) {
            c.problem(where + ": the conflist is not JSON: " + e.getMessage());
            return;
        }
        int weft = 0;
        for (JsonNode plugin : list.path("plugins")) {
            if (!plugin.at("/ipam/type").asText().equals(PLUGIN)) {
                continue;
            }
            weft++;
            ObjectNode conf = ((ObjectNode) plugin).deepCopy();
            conf.set("cniVersion", list.path("cniVersion"));
            conf.set("name", list.path("name"));
            String refused = ConflistProbe.problem(conf, CoreConfig.DEFAULT_UNIVERSE);
            PodRules.expect(c, where, refused == null, "weftd would refuse the conflist at every ADD: " + refused);
            PodRules.expect(c, where, plugin.path("type").asText().equals("bridge"),
                    "weft-ipam's main plugin must be bridge, not " + plugin.path("type").asText());
            String bridge = Optional.ofNullable(c.args().get("--bridge")).orElse("");
            PodRules.expect(c, where, plugin.path("bridge").asText().equals(bridge), "the conflist's bridge '"
                    + plugin.path("bridge").asText() + "' is not weftd's --bridge '" + bridge + "'");
            PodRules.expect(c, where, plugin.path("isGateway").asBoolean(false),
                    "bridge needs isGateway: true, to put weft's gateway on the bridge");
        }
        PodRules.expect(c, where, weft == 1, "the conflist must have exactly one plugin with ipam.type "
                + PLUGIN + ", found " + weft);
    }
}
