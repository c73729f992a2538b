package dev.weft.daemon.kube;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The threads of Kubernetes mode's background work, and how that work waits for the core. */
final class Background {
    private static final long CORE_TIMEOUT_SECONDS = 30;

    private Background() {}

    /** One daemon thread named {@code name}: passes never overlap. */
    static ScheduledExecutorService timer(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    static void stop(ScheduledExecutorService timer) {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The core's answer; a core that does not answer in 30 s (stopping, or stuck) fails the pass. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(CORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the core", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the core did not answer: " + e.getMessage(), e);
        }
    }
}
