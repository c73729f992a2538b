package dev.weft.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** While the ring forms (a seed waits for a peer that never comes), status and ring say so with exit code 6. */
class FormingTest {
    @Test
    void formingIsNotReady(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        try (Daemon d = TestDaemons.start(TestDaemons.settings(dir, "solo", "10.95.0.0/24",
                new Bootstrap.Seeds(List.of("solo", "absent"))))) {
            CliRun status = CliRun.weft(d.socket(), "status");
            assertThat(status.code()).isEqualTo(ExitCode.NOT_READY);
            assertThat(status.out()).contains("State:      forming");
            assertThat(CliRun.weft(d.socket(), "status", "-o", "json").json().get("state").asText())
                    .isEqualTo("forming");
            CliRun ring = CliRun.weft(d.socket(), "ring");
            assertThat(ring.code()).isEqualTo(ExitCode.NOT_READY);
            assertThat(ring.err()).contains("forming");
            assertThat(ring.out()).isEmpty();
        }
    }
}
