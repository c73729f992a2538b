package dev.weft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ServiceAccount the DaemonSet runs as is bound to exactly what weftd needs: nodes and pods read
 * cluster-wide; in its namespace get/update of the founding ConfigMap and the reclaim Lease that its flags
 * name (and create, which RBAC cannot limit by name), nothing else.
 */
final class RbacRules {
    /** The kube branch's defaults, used when the DaemonSet does not name them. */
    static final String FOUNDING_DEFAULT = "weft-founding";
    static final String LEASE_DEFAULT = "weft-reclaim";

    private RbacRules() {}

    static void check(DeployCheck.Context c) {
        KubeObject ds = c.pod().daemonSet();
        String sa = c.pod().spec().path("serviceAccountName").asText("");
        if (c.manifests().find("ServiceAccount", sa).filter(o -> o.namespace().equals(ds.namespace())).isEmpty()) {
            c.problem(ds.label() + ": serviceAccountName '" + sa + "' is not a ServiceAccount in " + ds.namespace());
        }
        for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
            for (KubeObject b : c.manifests().ofKind(kind)) {
                binding(c, b, sa, ds.namespace());
            }
        }
        String founding = Optional.ofNullable(c.args().get("--founding-configmap")).orElse(FOUNDING_DEFAULT);
        String lease = Optional.ofNullable(c.args().get("--reclaim-lease")).orElse(LEASE_DEFAULT);
        role(c, "ClusterRole", List.of(new Grant("", "nodes", Set.of(), Set.of("get", "list", "watch")),
                new Grant("", "pods", Set.of(), Set.of("get", "list", "watch"))));
        role(c, "Role", List.of(new Grant("", "configmaps", Set.of(founding), Set.of("get", "update")),
                new Grant("", "configmaps", Set.of(), Set.of("create")),
                new Grant("coordination.k8s.io", "leases", Set.of(lease), Set.of("get", "update")),
                new Grant("coordination.k8s.io", "leases", Set.of(), Set.of("create"))));
    }

    /** One (apiGroup, resource, resourceNames) with its verbs. */
    record Grant(String group, String resource, Set<String> names, Set<String> verbs) {}

    private static void binding(DeployCheck.Context c, KubeObject b, String sa, String namespace) {
        JsonNode ref = b.node().path("roleRef");
        String kind = ref.path("kind").asText();
        boolean fits = b.kind().equals("ClusterRoleBinding") ? kind.equals("ClusterRole")
                : kind.equals("Role") || kind.equals("ClusterRole");
        if (!fits || !ref.path("apiGroup").asText().equals("rbac.authorization.k8s.io")) {
            c.problem(b.label() + ": roleRef must be apiGroup rbac.authorization.k8s.io and a "
                    + (b.kind().equals("RoleBinding") ? "Role" : "ClusterRole"));
        }
        Optional<KubeObject> role = c.manifests().find(kind, ref.path("name").asText());
        if (role.isEmpty() || (kind.equals("Role") && !role.get().namespace().equals(b.namespace()))) {
            c.problem(b.label() + ": roleRef " + kind + "/" + ref.path("name").asText() + " is not defined"
                    + (kind.equals("Role") ? " in " + b.namespace() : ""));
        }
        for (JsonNode s : b.node().path("subjects")) {
            if (!s.path("kind").asText().equals("ServiceAccount") || !s.path("name").asText().equals(sa)
                    || !s.path("namespace").asText().equals(namespace)) {
                c.problem(b.label() + ": subject " + s + " is not the DaemonSet's ServiceAccount " + namespace + "/"
                        + sa);
            }
        }
    }

    private static void role(DeployCheck.Context c, String kind, List<Grant> wanted) {
        List<KubeObject> roles = c.manifests().ofKind(kind);
        if (roles.size() != 1) {
            c.problem("expected one " + kind + " for weftd, found " + roles.size());
            return;
        }
        KubeObject role = roles.get(0);
        Set<Grant> have = new java.util.HashSet<>();
        for (JsonNode rule : role.node().path("rules")) {
            Set<String> names = new TreeSet<>(Pod.strings(rule.path("resourceNames")));
            Set<String> verbs = new TreeSet<>(Pod.strings(rule.path("verbs")));
            for (String g : Pod.strings(rule.path("apiGroups"))) {
                for (String r : Pod.strings(rule.path("resources"))) {
                    have.add(new Grant(g, r, names, verbs));
                }
            }
        }
        if (!have.equals(Set.copyOf(wanted))) {
            c.problem(role.label() + ": grants " + describe(have) + " but weftd needs exactly " + describe(wanted)
                    + " (founding ConfigMap and reclaim Lease names from the DaemonSet's flags)");
        }
    }

    private static String describe(java.util.Collection<Grant> grants) {
        Set<String> out = new TreeSet<>();
        for (Grant g : grants) {
            out.add((g.group().isEmpty() ? "" : g.group() + "/") + g.resource() + (g.names().isEmpty() ? ""
                    : g.names().toString()) + " " + new TreeSet<>(g.verbs()));
        }
        return out.toString();
    }
}
