package dev.weft.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Every object of every manifest file (multi-document YAML), parsed with YAML 1.2 rules, so "no" stays a
 * string and a mistyped value reaches the rules as what Kubernetes would see.
 */
final class Manifests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<KubeObject> objects;

    private Manifests(List<KubeObject> objects) {
        this.objects = List.copyOf(objects);
    }

    /** @param files file name → YAML text, read in name order */
    static Manifests parse(Map<String, String> files) {
        List<KubeObject> out = new ArrayList<>();
        for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
            Load load = new Load(LoadSettings.builder().setLabel(f.getKey()).build());
            for (Object doc : load.loadAllFromString(f.getValue())) {
                if (doc != null) {
                    out.add(new KubeObject(f.getKey(), JSON.valueToTree(doc)));
                }
            }
        }
        return new Manifests(out);
    }

    List<KubeObject> all() {
        return objects;
    }

    List<KubeObject> ofKind(String kind) {
        return objects.stream().filter(o -> o.kind().equals(kind)).toList();
    }

    Optional<KubeObject> find(String kind, String name) {
        return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst();
    }
}
