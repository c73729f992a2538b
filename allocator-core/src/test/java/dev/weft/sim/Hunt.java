package dev.weft.sim;

/**
 * Runs seeds until the oracle finds a broken promise: the entry point planted-bug tests call, by reflection,
 * inside the class loader that holds the planted core.
 */
public final class Hunt {
    private Hunt() {}

    /**
     * Runs seeds {@code first}, {@code first + 1}, ... up to {@code budget} of them, with {@code driverBug}
     * planted in the simulated driver (a {@link SimConfig.Bug} name). Returns {seed, first line of what was
     * found}, or null when every seed kept every promise. A core that throws counts as found: it is a bug too.
     */
    public static String[] hunt(long first, int budget, String driverBug) {
        SimConfig.Bug bug = SimConfig.Bug.valueOf(driverBug);
        for (long seed = first; seed < first + budget; seed++) {
            try {
                new Simulation(SimConfig.random(seed, 3, 20).withBug(bug)).run();
            } catch (Violation v) {
                return new String[] {Long.toString(seed), v.getMessage().strip().lines().findFirst().orElse("")};
            } catch (RuntimeException e) {
                return new String[] {Long.toString(seed), "the core threw " + e};
            }
        }
        return null;
    }
}
