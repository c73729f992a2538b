package dev.weft.bench.daemon;

import dev.weft.core.node.Record;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.daemon.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The disk's limit for weftd's store: synced write batches per second through the daemon's own
 * {@link Store} (same RocksDB options, same record encoding), for a given batch size. Batches/s times the
 * batch size is the most durable allocations per second group commit could reach at that batch size.
 *
 * <pre>SyncProbe FOLDER BATCH SECONDS</pre>  (FOLDER must be new or empty; it is left for the caller to delete)
 */
public final class SyncProbe {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SyncProbe FOLDER BATCH SECONDS");
            System.exit(2);
        }
        int batch = Integer.parseInt(args[1]);
        long seconds = Long.parseLong(args[2]);
        try (Store store = Store.open(Path.of(args[0]))) {
            long n = 0;
            long batches = 0;
            long warmEnd = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < warmEnd) {
                store.write(batch(n, batch));
                n += batch;
            }
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                store.write(batch(n, batch));
                n += batch;
                batches++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("mode=sync batch=%d batches_per_s=%.0f keys_per_s=%.0f%n", batch, batches / elapsed,
                    batches * batch / elapsed);
        }
    }

    private static List<Record> batch(long from, int size) {
        List<Record> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            long k = from + i;
            out.add(new Record.Held(new Hold(new Attachment("probe-" + k, "eth0"), k & 0xfffff)));
        }
        return out;
    }
}
