package dev.weft.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Polling for what real daemons do in their own time (gossip, failure detection), with a deadline. */
final class Await {
    private Await() {}

    static void until(String what, long seconds, BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what + " did not happen within " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }

    /** Until the daemon at {@code socket} no longer counts the peer named {@code name} as reachable. */
    static void unreachable(Path socket, String name) throws InterruptedException {
        until(name + " unreachable from " + socket, 30, () -> {
            JsonNode s = CliRun.weft(socket, "status", "-o", "json").json();
            return !s.get("reachable").toString().contains("\"" + name + "#");
        });
    }
}
