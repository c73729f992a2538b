package dev.weft.e2e;

import java.util.function.BooleanSupplier;

/** Waiting on a condition, never on a clock alone: polls until it holds, fails saying what did not happen. */
final class Wait {
    private Wait() {}

    static void until(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("waited " + millis / 1000 + " s for " + what);
            }
            Thread.sleep(250);
        }
    }
}
