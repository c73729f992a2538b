package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A manifest that drifts from the code, or from the other manifests, fails the check with a message that
 * names what drifted: each case changes one thing in a copy of the shipped files.
 */
class DriftTest {
    private static final String DS = "deploy/kubernetes/daemonset.yaml";
    private static final String RBAC = "deploy/kubernetes/rbac.yaml";
    private static final String CONFIG = "deploy/kubernetes/config.yaml";
    private static final Sources SHIPPED = Sources.read(Sources.root());

    static Stream<Arguments> drifts() {
        return Stream.of(
                drift(DS, "--data-dir=/var/lib/weft", "--data-folder=/var/lib/weft", "weftd has no flag --data-folder"),
                drift(DS, "--metrics-address=:6791", "--metrics-address=:6792", "weftd serves /metrics"),
                drift(DS, "path: /readyz", "path: /ready", "readinessProbe must GET /readyz"),
                drift(DS, "path: /healthz", "path: /health", "livenessProbe must GET /healthz"),
                drift(DS, "containerPort: 6790", "containerPort: 6800", "containerPort 'peer'"),
                drift(DS, "--advertise=$(NODE_IP):6790", "--advertise=$(HOST_IP):6790", "$(HOST_IP)"),
                drift(DS, "          hostPath:\n            path: /var/lib/weft\n            type: DirectoryOrCreate",
                        "          emptyDir: {}", "no emptyDir"),
                drift(DS, "path: /run/weft\n", "path: /var/run/weft-sockets\n", "the plugin and the CLI on the node"),
                drift(DS, "path: /var/lib/weft-cni\n", "path: /var/lib/weft-spool\n", "the CNI DEL spool"),
                drift(DS, "--socket=/run/weft/weft.sock", "--socket=/tmp/weft.sock", "is on no volume"),
                drift(DS, "fieldPath: spec.nodeName", "fieldPath: metadata.name", "NODE_NAME"),
                drift(DS, "secretName: weft-ca", "secretName: weft-tls", "but deploy/README.md creates weft-ca"),
                drift(DS, "--founding-configmap=weft-founding", "--founding-configmap=weft-cluster",
                        "founding ConfigMap and reclaim Lease names"),
                drift(DS, "--bridge=weft0", "--bridge=cni0", "is not weftd's --bridge"),
                drift(DS, "serviceAccountName: weft", "serviceAccountName: weft-daemon", "serviceAccountName"),
                drift(DS, "maxUnavailable: 1", "maxUnavailable: 3", "maxUnavailable 1"),
                drift(DS, "      hostNetwork: true", "      hostNetwork: false", "hostNetwork must be true"),
                drift(DS, "        - operator: Exists", "        - key: node-role.kubernetes.io/control-plane\n"
                        + "          operator: Exists", "to run on every node"),
                drift(DS, "image: weft:0.1.0\n          imagePullPolicy: IfNotPresent\n          command: [",
                        "image: weft:0.2.0\n          imagePullPolicy: IfNotPresent\n          command: [",
                        "one image holds weftd"),
                drift(DS, "            - /host/etc/cni/net.d\n", "            - /host/etc/cni\n",
                        "must be the node's /etc/cni/net.d"),
                drift(DS, "              memory: 512Mi", "              memory: 300Mi", "does not fit weftd's memory limit"),
                drift(DS, "apps/v1", "extensions/v1beta1", "the API serves DaemonSet as apps/v1"),
                drift(DS, "command: [/opt/weft/bin/weftd]", "command: [/usr/local/bin/weftd]",
                        "which no COPY --from=build puts in the image"),
                drift(RBAC, "resources: [nodes, pods]", "resources: [nodes]", "ClusterRole/weft"),
                drift(RBAC, "verbs: [create]\n  - apiGroups: [coordination.k8s.io]",
                        "verbs: [create, delete]\n  - apiGroups: [coordination.k8s.io]", "Role/weft"),
                drift(RBAC, "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: weft",
                        "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: weft-node",
                        "roleRef Role/weft-node is not defined"),
                drift(CONFIG, "WEFT_RANGE: 10.32.0.0/12", "WEFT_RANGE: 10.32.0.0/12\n  WEFT_RANGES: 10.0.0.0/8",
                        "WEFT_RANGES is not a variable weftd reads"),
                drift(CONFIG, "WEFT_RANGE: 10.32.0.0/12", "WEFT_RANGE: 10.32.0.0/33", "is not a CIDR"),
                drift(CONFIG, "\"bridge\": \"weft0\"", "\"bridge\": \"cni0\"", "the conflist's bridge 'cni0'"),
                drift(CONFIG, "\"type\": \"weft-ipam\",", "\"type\": \"weft-ipam\", \"rangeStart\": \"10.32.0.10\",",
                        "weftd would refuse the conflist"),
                drift(CONFIG, "\"type\": \"weft-ipam\",", "\"type\": \"host-local\",",
                        "exactly one plugin with ipam.type weft-ipam"),
                drift(CONFIG, "  10-weft.conflist: |", "  10-weft.conf: |", "has no key 10-weft.conflist"),
                drift(Sources.DOCKERFILE, "RUN /opt/weft/bin/train-aot /opt/weft/aot/weftd.aot",
                        "RUN /opt/weft/bin/train-aot /opt/weft/weftd.aot", "but no RUN train-aot makes it"),
                drift(Sources.DOCKERFILE, "COPY --from=build /src/deploy/target/image/ /opt/weft/",
                        "COPY --from=build /src/daemon/target/weft/ /opt/weft/", "deploy/target/image"),
                drift(Sources.DOCKERFILE, "--no-install-recommends iproute2", "--no-install-recommends iputils-ping",
                        "must install iproute2"),
                drift(Sources.README, "generic weft-ca", "generic weft-secret", "creates weft-secret"),
                drift(Sources.README, "--from-file=weft-ca/ca.key", "--from-file=weft-ca/tls.key",
                        "does not create"),
                drift(Sources.PLUGIN, "\"/run/weft/cni.sock\"", "\"/run/weft-cni.sock\"", "the plugin would not find"));
    }

    private static Arguments drift(String file, String from, String to, String expected) {
        return Arguments.of(file, from, to, expected);
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("drifts")
    void aDriftedCopyFailsNamingWhatDrifted(String file, String from, String to, String expected) {
        assertThat(DeployCheck.problems(SHIPPED.with(file, from, to))).anySatisfy(p -> assertThat(p).contains(expected));
    }
}
