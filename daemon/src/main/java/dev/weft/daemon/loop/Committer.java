package dev.weft.daemon.loop;

import dev.weft.daemon.metrics.LoopMeters;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes batches: sync the batch's records, then send its messages, then answer its
 * callers, in step order. Batches are handed over one at a time (the loop waits for {@code done} before
 * the next), so a batch is released only after every earlier batch is on disk.
 */
final class Committer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Committer.class);
    private final BatchWriter store;
    private final LoopMeters meters;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "weft-commit");
        t.setDaemon(true);
        return t;
    });

    Committer(BatchWriter store, LoopMeters meters) {
        this.store = store;
        this.meters = meters;
    }

    /**
     * Writes and releases {@code batch} on the commit thread, then calls {@code done} with null, or with
     * the write's failure (the batch's callers then get that failure and nothing of it is sent).
     */
    void commit(Batch batch, Consumer<IOException> done) {
        thread.execute(() -> {
            IOException failure = null;
            if (!batch.records.isEmpty()) {
                long start = System.nanoTime();
                try {
                    store.write(batch.records);
                    meters.synced(batch.records.size(), batch.steps, System.nanoTime() - start);
                } catch (IOException e) {
                    failure = e;
                } catch (RuntimeException e) {
                    // A record the store cannot take is as fatal as a failed disk: nothing may be released.
                    failure = new IOException("the store refused a batch: " + e, e);
                }
            }
            release(batch, failure);
            done.accept(failure);
        });
    }

    static void release(Batch batch, IOException failure) {
        for (Batch.Release r : batch.releases) {
            if (r instanceof Batch.Release.Answer<?> a) {
                if (failure == null) {
                    a.complete();
                } else {
                    a.future().completeExceptionally(new IllegalStateException("the store could not be written ("
                            + failure.getMessage() + "); nothing was acknowledged. weftd is stopping", failure));
                }
            } else if (failure == null && r instanceof Batch.Release.Send s) {
                try {
                    s.send().run();
                } catch (RuntimeException e) {
                    // Delivery is best effort (the core retries); the answers after it must still leave.
                    log.warn("sending a message failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
