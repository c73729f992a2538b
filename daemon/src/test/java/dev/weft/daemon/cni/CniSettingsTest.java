package dev.weft.daemon.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CniSettingsTest {

    @Test
    void defaultsWhenTheirFoldersAreWritableFallbacksWhenNot() {
        assertThat(CniSettings.parse(null, "", " ", p -> true)).isEqualTo(new CniSettings(CniSettings.DEFAULT_SOCKET,
                CniSettings.DEFAULT_SPOOL, CniSettings.DEFAULT_NOTES));
        assertThat(CniSettings.parse(null, null, null, p -> false)).isEqualTo(new CniSettings(
                CniSettings.FALLBACK_SOCKET, CniSettings.FALLBACK_SPOOL, CniSettings.FALLBACK_NOTES));
        assertThat(CniSettings.parse("/tmp/x.sock", "/tmp/s", "/tmp/n", p -> false))
                .isEqualTo(new CniSettings(Path.of("/tmp/x.sock"), Path.of("/tmp/s"), Path.of("/tmp/n")));
    }

    @Test
    void aSocketPathTooLongForSunPathOrOneFolderForBothIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> CniSettings.parse("/tmp/" + "a".repeat(120), null, null, p -> true))
                .hasMessageContaining("--cni-socket (WEFT_CNI_SOCKET)");
        assertThatThrownBy(() -> CniSettings.parse(null, "/tmp/same", "/tmp/./same", p -> true))
                .hasMessageContaining("--cni-spool and --cni-notes");
    }
}
