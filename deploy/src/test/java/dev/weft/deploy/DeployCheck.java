package dev.weft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the manifests, the Dockerfile and the daemon's code against each other and returns every
 * disagreement, each naming the file and what to change. Empty means the deployment matches the code.
 */
final class DeployCheck {
    static final String NAMESPACE = "kube-system";
    static final String DAEMON_SET = "weft";
    static final String WEFTD = "weftd";
    static final String INSTALLER = "install-cni";

    private DeployCheck() {}

    /** What every rule reads. {@code weftd} and {@code args} are null when the DaemonSet or container is missing. */
    record Context(Sources sources, Manifests manifests, DaemonFlags flags, Pod pod, JsonNode weftd,
            DaemonFlags.Parsed args, Dockerfile dockerfile, List<String> problems) {
        void problem(String text) {
            problems.add(text);
        }
    }

    static List<String> problems(Sources sources) {
        List<String> problems = new ArrayList<>();
        Manifests manifests;
        try {
            manifests = Manifests.parse(sources.manifests());
        } catch (RuntimeException e) {
            return List.of("a manifest is not valid YAML: " + e.getMessage());
        }
        DaemonFlags flags = new DaemonFlags();
        Dockerfile dockerfile = Dockerfile.parse(sources.text(Sources.DOCKERFILE));
        ObjectRules.check(manifests, problems);
        Optional<KubeObject> ds = manifests.find("DaemonSet", DAEMON_SET);
        if (ds.isEmpty()) {
            problems.add("no DaemonSet named " + DAEMON_SET + " in " + Sources.MANIFESTS);
            return problems;
        }
        Pod pod = new Pod(ds.get());
        JsonNode weftd = pod.container(WEFTD).orElse(null);
        if (weftd == null) {
            problems.add(ds.get().label() + ": no container named " + WEFTD);
            return problems;
        }
        DaemonFlags.Parsed args = flags.parse(Pod.strings(weftd.path("args")));
        Context c = new Context(sources, manifests, flags, pod, weftd, args, dockerfile, problems);
        args.problems().forEach(p -> c.problem(ds.get().label() + ", container " + WEFTD + ": " + p));
        RbacRules.check(c);
        PodRules.check(c);
        PathRules.check(c);
        CniRules.check(c);
        ImageRules.check(c);
        return problems;
    }
}
