package dev.weft.daemon.loop;

import dev.weft.core.node.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The records of every step taken while the previous batch was syncing, and what those steps may release
 * once this batch (and every earlier one) is on disk: their messages and answers, in step order. A step
 * that wrote nothing still lands in the open batch, so its answer never overtakes an earlier step's records.
 */
final class Batch {
    /** One thing to do after the sync: send a message, or complete a caller's future. */
    sealed interface Release {
        record Send(Runnable send) implements Release {}

        record Answer<T>(CompletableFuture<T> future, T value, Throwable error, Runnable after) implements Release {
            void complete() {
                if (error != null) {
                    future.completeExceptionally(error);
                } else {
                    future.complete(value);
                }
                if (after != null) {
                    after.run();
                }
            }
        }
    }

    final List<Record> records = new ArrayList<>();
    final List<Release> releases = new ArrayList<>();
    int steps;

    boolean isEmpty() {
        return records.isEmpty() && releases.isEmpty();
    }
}
