package dev.weft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A checker that cannot fail is worthless: with a bug planted in the driver, the simulator must find a
 * broken promise within a bounded number of seeds.
 */
class PlantedBugTest {
    static final int SEED_BUDGET = 100;

    @ParameterizedTest
    @EnumSource(value = SimConfig.Bug.class, names = {"SEND_BEFORE_PERSIST", "FORGET_HOLDS"})
    void theSimulatorFindsAPlantedBug(SimConfig.Bug bug) {
        Violation found = null;
        long seed = 1;
        for (; seed <= SEED_BUDGET && found == null; seed++) {
            try {
                new Simulation(SimConfig.random(seed, 3, 20).withBug(bug)).run();
            } catch (Violation v) {
                found = v;
            }
        }
        assertThat(found).as("a violation with %s planted, within %d seeds", bug, SEED_BUDGET).isNotNull();
        System.out.printf("planted %s: found at seed %d: %s%n", bug, seed - 1, found.getMessage().lines().findFirst().orElse(""));
    }
}
