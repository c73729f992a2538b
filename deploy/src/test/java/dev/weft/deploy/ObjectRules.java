package dev.weft.deploy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Each object on its own: a kind weft ships, the apiVersion that serves it, a name, the namespace, the label. */
final class ObjectRules {
    static final String APP_LABEL = "app.kubernetes.io/name";
    static final String APP = "weft";
    /** kind → apiVersion, for every kind the deployment ships. */
    static final Map<String, String> API_VERSIONS = Map.of("ServiceAccount", "v1", "ConfigMap", "v1",
            "ClusterRole", "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "rbac.authorization.k8s.io/v1",
            "Role", "rbac.authorization.k8s.io/v1", "RoleBinding", "rbac.authorization.k8s.io/v1",
            "DaemonSet", "apps/v1");
    static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding");
    /** Fields without which the API server refuses the object. */
    static final Map<String, List<String>> REQUIRED = Map.of(
            "DaemonSet", List.of("/spec/selector/matchLabels", "/spec/template/metadata/labels",
                    "/spec/template/spec/containers/0/name", "/spec/template/spec/containers/0/image"),
            "ClusterRoleBinding", List.of("/roleRef/kind", "/roleRef/name", "/roleRef/apiGroup", "/subjects/0"),
            "RoleBinding", List.of("/roleRef/kind", "/roleRef/name", "/roleRef/apiGroup", "/subjects/0"),
            "ClusterRole", List.of("/rules/0/verbs"), "Role", List.of("/rules/0/verbs"),
            "ConfigMap", List.of("/data"));

    private ObjectRules() {}

    static void check(Manifests manifests, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (KubeObject o : manifests.all()) {
            String expected = API_VERSIONS.get(o.kind());
            if (expected == null) {
                problems.add(o.label() + ": kind '" + o.kind() + "' is not one weft ships (" + API_VERSIONS.keySet()
                        + "); add it to ObjectRules with its apiVersion and rules");
                continue;
            }
            if (!o.apiVersion().equals(expected)) {
                problems.add(o.label() + ": apiVersion is '" + o.apiVersion() + "', the API serves " + o.kind()
                        + " as " + expected);
            }
            if (o.name().isEmpty()) {
                problems.add(o.label() + ": metadata.name is missing");
            }
            if (!seen.add(o.kind() + "/" + o.name())) {
                problems.add(o.label() + ": defined twice");
            }
            if (CLUSTER_SCOPED.contains(o.kind())) {
                if (!o.namespace().isEmpty()) {
                    problems.add(o.label() + ": a " + o.kind() + " has no namespace; remove metadata.namespace");
                }
            } else if (!o.namespace().equals(DeployCheck.NAMESPACE)) {
                problems.add(o.label() + ": namespace is '" + o.namespace() + "'; weft runs in "
                        + DeployCheck.NAMESPACE);
            }
            if (!o.node().at("/metadata/labels").path(APP_LABEL).asText().equals(APP)) {
                problems.add(o.label() + ": label " + APP_LABEL + ": " + APP + " is missing");
            }
            for (String field : REQUIRED.getOrDefault(o.kind(), List.of())) {
                if (o.node().at(field).isMissingNode() || o.node().at(field).isNull()) {
                    problems.add(o.label() + ": required field " + field + " is missing");
                }
            }
        }
    }
}
