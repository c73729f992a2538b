package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped deployment agrees with weftd's code and with itself. */
class ManifestTest {
    private final Sources shipped = Sources.read(Sources.root());

    @Test
    void theShippedDeploymentMatchesTheCode() {
        assertThat(DeployCheck.problems(shipped)).isEmpty();
    }

    @Test
    void everyManifestParsesIntoTheObjectsWeftShips() {
        Manifests m = Manifests.parse(shipped.manifests());
        assertThat(m.all()).extracting(KubeObject::kind).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap", "ConfigMap", "DaemonSet");
        assertThat(m.all()).allSatisfy(o -> assertThat(o.apiVersion())
                .isEqualTo(ObjectRules.API_VERSIONS.get(o.kind())));
    }

    @Test
    void theDaemonSetUsesWeftdsOwnFlags() {
        DaemonFlags flags = new DaemonFlags();
        // flags weftd has today, which the DaemonSet relies on: a rename in the daemon must show up here
        for (String f : List.of("--name", "--listen", "--advertise", "--ca-cert", "--ca-key", "--data-dir", "--socket",
                "--metrics-address")) {
            assertThat(flags.has(f)).as(f).isTrue();
        }
        assertThat(flags.envNames()).contains("WEFT_RANGE", "WEFT_DATA_DIR", "WEFT_CNI_SOCKET");
    }

    /**
     * The pending list exists only until the branches that add those flags are merged: a flag weftd now has
     * must come off it, so the list cannot hide a later rename.
     */
    @Test
    void pendingFlagsAreOnlyThoseWeftdDoesNotHaveYet() {
        DaemonFlags flags = new DaemonFlags();
        assertThat(DaemonFlags.PENDING).as("weftd has these now: remove them from DaemonFlags.PENDING")
                .noneMatch(flags::has);
    }

    @Test
    void theImageCopiesEveryFileTheDaemonSetRunsFromTheImageFolder() {
        Dockerfile d = Dockerfile.parse(shipped.text(Sources.DOCKERFILE));
        assertThat(ImageRules.source(d, "/opt/weft/bin/weftd")).contains("deploy/target/image/bin/weftd");
        assertThat(ImageRules.source(d, "/opt/weft/cni/weft-ipam")).contains("deploy/target/image/cni/weft-ipam");
        assertThat(ImageRules.source(d, "/usr/bin/java")).isEmpty();
    }
}
