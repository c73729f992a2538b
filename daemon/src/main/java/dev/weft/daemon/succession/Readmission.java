package dev.weft.daemon.succession;

import dev.weft.core.node.Input;
import dev.weft.core.node.Record;
import dev.weft.core.node.Result;
import dev.weft.core.space.Attachment;
import dev.weft.daemon.loop.CoreGateway;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At every start from an existing data folder, before CNI is served: this node's live pods hold their
 * addresses again ({@link Input.Readmit}). weftd cannot tell a folder restored from an older backup from the
 * latest one, and a restored folder lacks the holds of pods acknowledged since: without this, their addresses
 * look free (the core's design notes, "A data folder restored from an older backup").
 *
 * <p>The list is what the live sources say (libcni's result cache, as succession reads it) and, for every
 * attachment no source names, the hold the folder already has. So a start releases nothing a source merely
 * fails to list: a cache file that is missing, unreadable or not yet written is no proof that its pod is gone,
 * and an address a live pod may hold is never freed on that alone. The cost: a pod deleted after the backup
 * and before the restore keeps its address held (leaked, not doubled) until it is released (Kubernetes
 * mode's pod reconciliation does) or an operator releases it.
 */
public final class Readmission {
    private static final Logger log = LoggerFactory.getLogger(Readmission.class);
    static final long CALL_SECONDS = 30;

    private Readmission() {}

    /** What the readmit lists: the sources' holds, then the folder's own for attachments they do not name. */
    static Map<Attachment, Long> listed(Map<Attachment, Long> live, Collection<Record> folder) {
        Map<Attachment, Long> out = new HashMap<>(live);
        for (Record r : folder) {
            if (r instanceof Record.Held h) {
                out.putIfAbsent(h.hold().attachment(), h.hold().address());
            }
        }
        return out;
    }

    /**
     * Sends the readmit and waits for its answer. A folder without a cluster holds no pod: nothing is sent.
     *
     * @throws IOException when the core does not answer in time or refuses: weftd must not serve CNI then
     */
    public static void run(CoreGateway core, LiveHolds sources, Collection<Record> folder) throws IOException {
        if (folder.stream().noneMatch(Record.Cluster.class::isInstance)) {
            return;
        }
        Map<Attachment, Long> live = sources.collect();
        Map<Attachment, Long> listed = listed(live, folder);
        Result r;
        try {
            r = core.submit(id -> new Input.Readmit(id, listed)).get(CALL_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while holding this node's live pods again", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not hold this node's live pods again before serving CNI (" + e
                    + "); restart weftd, and if it persists check the data folder's disk", e);
        }
        if (!(r instanceof Result.Done d)) {
            throw new IOException("the core refused to hold this node's live pods again before serving CNI: " + r
                    + "; restart weftd once the cause is fixed");
        }
        log.info("live pods held again at start ({} named by libcni's cache and other sources, {} listed in all):"
                + " {}", live.size(), listed.size(), d.message());
    }
}
