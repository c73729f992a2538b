package dev.weft.daemon.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CniSettingsTest {
    private static final Path API = Path.of("/run/weft/weft.sock");
    private static final Path DATA = Path.of("/var/lib/weft");

    @Test
    void byDefaultEachPlaceFollowsWeftdsOwnAndMatchesThePluginsDefaults() {
        assertThat(CniSettings.parse(null, "", " ", API, DATA)).isEqualTo(new CniSettings(
                Path.of("/run/weft/cni.sock"), Path.of("/var/lib/weft-cni/spool"), Path.of("/var/lib/weft-cni/notes")));
        CniSettings other = CniSettings.parse(null, null, null, Path.of("/tmp/t1/api.sock"), Path.of("/tmp/t1/data/"));
        assertThat(other.socket()).isEqualTo(Path.of("/tmp/t1/cni.sock"));
        assertThat(other.spool()).isEqualTo(Path.of("/tmp/t1/data-cni/spool"));
        assertThat(CniSettings.parse("/tmp/x.sock", "/tmp/s", "/tmp/n", API, DATA))
                .isEqualTo(new CniSettings(Path.of("/tmp/x.sock"), Path.of("/tmp/s"), Path.of("/tmp/n")));
    }

    @Test
    void aBadSocketPathOrOneFolderForBothIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> CniSettings.parse("/tmp/" + "a".repeat(120), null, null, API, DATA))
                .hasMessageContaining("--cni-socket (WEFT_CNI_SOCKET)");
        assertThatThrownBy(() -> CniSettings.parse(null, null, null, Path.of("/tmp/cni.sock"), DATA))
                .hasMessageContaining("is the API socket too");
        assertThatThrownBy(() -> CniSettings.parse(null, "/tmp/same", "/tmp/./same", API, DATA))
                .hasMessageContaining("--cni-spool and --cni-notes");
    }
}
