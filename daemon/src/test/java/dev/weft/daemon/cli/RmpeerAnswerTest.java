package dev.weft.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.daemon.Transports;
import dev.weft.daemon.succession.SuccessionSettings;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import dev.weft.daemon.support.ThreePeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rmpeer's answer (not forced) says what ends the rest of what it took, as the daemon is set up: without
 * unique names, a new install under the removed one's name connecting; with {@code --unique-names}, only a
 * new install on that node that succeeded it and said which of its pods still run. Two clusters, one per
 * mode, side by side so that the grace a removal must wait is waited once (the shortest weftd accepts).
 */
class RmpeerAnswerTest {
    @Test
    void theAnswerSaysWhatEndsTheRestInEitherNamingMode(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        Path results = Files.createDirectories(dir.resolve("cni-results"));
        try (ThreePeers plain = new ThreePeers(dir.resolve("plain"), "10.96.0.0/24", Transports::grpc,
                        s -> s.withRemoval(TestDaemons.QUICK_REMOVAL));
                ThreePeers unique = new ThreePeers(dir.resolve("unique"), "10.97.0.0/24", Transports::grpc,
                        s -> s.withSuccession(new SuccessionSettings(true, results))
                                .withRemoval(TestDaemons.QUICK_REMOVAL))) {
            List<ThreePeers> both = List.of(plain, unique);
            for (ThreePeers cluster : both) {
                cluster.get(2).close();
            }
            for (ThreePeers cluster : both) {
                Await.unreachable(cluster.get(0).socket(), "c");
            }
            Thread.sleep(TestDaemons.QUICK_REMOVAL.grace().millis());
            String[] answers = new String[2];
            for (int i = 0; i < 2; i++) {
                Path a = both.get(i).get(0).socket();
                int at = i;
                Await.until("rmpeer c is accepted once nobody heard from c for the grace period", 30, () -> {
                    CliRun rm = CliRun.weft(a, "rmpeer", "c", "-o", "json");
                    answers[at] = rm.code() == ExitCode.OK ? rm.json().get("message").asText() : null;
                    return answers[at] != null;
                });
            }
            assertThat(answers[0]).startsWith("took over").contains("has handed over the addresses its pods hold")
                    .contains("or a new install under the name c connects to this peer").doesNotContain("succeeded");
            assertThat(answers[1]).startsWith("took over").contains("has handed over the addresses its pods hold")
                    .contains("or a new install on c has succeeded it and said which of its pods still run")
                    .contains("--unique-names").doesNotContain("connects to this peer");
        }
    }
}
