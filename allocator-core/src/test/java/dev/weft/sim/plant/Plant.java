package dev.weft.sim.plant;

/**
 * One bug planted into a copy of the core's source for one test run: the production tree never holds a
 * switch for it. {@code find} must occur exactly once in {@code file} (a path under src/main/java), so a
 * plant whose code moved fails loudly instead of silently planting nothing.
 *
 * @param area what part of the core the bug is in (merge, grants, cool-downs, ...)
 * @param bug the bug in words, as a reviewer would describe it
 * @param caughtBy the oracle check expected to catch it, named as in its violation messages (alternatives
 *                 separated by "|": a change of the random paths may let another check see it first)
 */
public record Plant(String area, String bug, String file, String find, String replace, String caughtBy) {
    @Override
    public String toString() {
        return area + ": " + bug;
    }
}
