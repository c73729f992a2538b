package dev.weft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The DaemonSet's pod template, with the look-ups the rules share: containers, volumes, what backs a path. */
record Pod(KubeObject daemonSet) {

    JsonNode spec() {
        return daemonSet.node().at("/spec/template/spec");
    }

    /** Init containers first, then containers. */
    List<JsonNode> allContainers() {
        List<JsonNode> out = new ArrayList<>();
        spec().path("initContainers").forEach(out::add);
        spec().path("containers").forEach(out::add);
        return out;
    }

    Optional<JsonNode> container(String name) {
        return allContainers().stream().filter(c -> c.path("name").asText().equals(name)).findFirst();
    }

    Optional<JsonNode> volume(String name) {
        for (JsonNode v : spec().path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The mount with the longest mountPath that {@code path} lies in, with its volume. */
    Optional<Mounted> mountFor(JsonNode container, String path) {
        Mounted best = null;
        for (JsonNode m : container.path("volumeMounts")) {
            String at = m.path("mountPath").asText();
            boolean inside = path.equals(at) || path.startsWith(at.endsWith("/") ? at : at + "/");
            if (inside && (best == null || at.length() > best.mountPath().length())) {
                JsonNode v = volume(m.path("name").asText()).orElse(null);
                if (v != null) {
                    best = new Mounted(m, v);
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** One volumeMount and the volume it mounts. */
    record Mounted(JsonNode mount, JsonNode volume) {
        String mountPath() {
            return mount.path("mountPath").asText();
        }

        boolean readOnly() {
            return mount.path("readOnly").asBoolean(false);
        }

        /** The node's path for {@code containerPath}, or null when the volume is not a hostPath. */
        String hostPathOf(String containerPath) {
            JsonNode hp = volume.path("hostPath");
            if (!hp.has("path")) {
                return null;
            }
            return hp.path("path").asText() + containerPath.substring(mountPath().length());
        }

        String hostPathType() {
            return volume.at("/hostPath/type").asText("");
        }
    }
}
