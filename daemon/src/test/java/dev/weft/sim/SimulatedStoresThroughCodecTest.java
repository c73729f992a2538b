package dev.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Record;
import dev.weft.daemon.store.RecordCodec;
import dev.weft.daemon.store.Store;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the core's simulator leaves on its simulated disks, through the daemon's store: a few seeded
 * clusters (crashes, partitions, removals, hand-overs) run to the end, then every record each host keeps
 * is encoded and decoded by {@link RecordCodec}, and one host per run is written to a real RocksDB
 * {@link Store} and read back. Lives in the simulator's package because its hosts are package-private.
 */
class SimulatedStoresThroughCodecTest {
    private static final int SEEDS = 6;

    @Test
    void everyRecordTheSimulatorPersistsComesBackEqual(@TempDir Path dir) throws Exception {
        Map<String, Integer> kinds = new TreeMap<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimConfig cfg = SimConfig.random(seed, 3, 8);
            Simulation sim = new Simulation(cfg);
            sim.run();
            boolean storedOne = false;
            for (int i = 0; i < cfg.peers(); i++) {
                SimNode n = sim.node(String.format("p%02d", i));
                for (Record r : n.records()) {
                    kinds.merge(r.getClass().getSimpleName(), 1, Integer::sum);
                    assertThat(RecordCodec.decode(r.key(), RecordCodec.encode(r))).as("seed %d %s", seed, n)
                            .isEqualTo(r);
                }
                if (!storedOne && !n.store.isEmpty()) {
                    storedOne = true;
                    assertSurvivesARealStore(dir.resolve("seed-" + seed), n);
                }
            }
        }
        System.out.println("[store] simulated records through RecordCodec, " + SEEDS + " seeds: " + kinds);
        assertThat(kinds).containsKeys("Identity", "Cluster", "RingEntry", "Held");
    }

    private static void assertSurvivesARealStore(Path folder, SimNode n) throws Exception {
        try (Store s = Store.open(folder)) {
            s.write(n.records());
        }
        Map<String, Record> back = new LinkedHashMap<>();
        try (Store s = Store.open(folder)) {
            s.records().forEach(r -> back.put(r.key(), r));
        }
        assertThat(back).as("%s's store through RocksDB", n).isEqualTo(new TreeMap<>(n.store.asMap()));
    }
}
