package dev.weft.daemon.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What decides whether an ADD's note must be synced: a DEL waiting in the spool, and nothing else. */
class DelSpoolTest {
    @TempDir
    Path tmp;

    @Test
    void onlyACompleteSpooledDelCountsAsPending() throws Exception {
        DelSpool spool = new DelSpool(tmp.resolve("spool"));
        assertThat(spool.hasPending()).isFalse();
        Files.write(tmp.resolve("spool").resolve(DelSpool.TEMP_PREFIX + "del-1-2" + DelSpool.SUFFIX), new byte[3]);
        Files.createDirectories(tmp.resolve("spool").resolve("rejected"));
        assertThat(spool.hasPending()).as("half-written and rejected files are not pending").isFalse();
        Files.write(tmp.resolve("spool").resolve(DelSpool.PREFIX + "1-2" + DelSpool.SUFFIX), new byte[3]);
        assertThat(spool.hasPending()).isTrue();
    }
}
