package dev.weft.daemon.cni;

import dev.weft.core.space.Attachment;
import dev.weft.daemon.loop.CoreGateway;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the CNI plugin talks to, started in the order the promises need: the attachment notes are
 * read, the DEL spool is carried out (so a queued DEL can never free an attachment ADDed after it), and
 * only then does the socket serve. Start it after the core's loop runs, before the gRPC API serves.
 */
public final class CniFrontEnd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CniFrontEnd.class);

    private final AttachmentNotes notes;
    private final ExecutorService after;
    private final ScheduledExecutorService timers;
    private DelSpool spool;
    private CniEndpoint endpoint;

    private CniFrontEnd(AttachmentNotes notes) {
        this.notes = notes;
        this.after = Executors.newFixedThreadPool(2, Threads.named("weft-cni-after"));
        this.timers = Executors.newSingleThreadScheduledExecutor(Threads.named("weft-cni-timer"));
    }

    /**
     * @param socket where the plugin connects ({@code --cni-socket}, default /run/weft/cni.sock)
     * @param spoolDir where the plugin leaves DELs while weftd is away ({@code --cni-spool})
     * @param notesDir where pod names and ADD times of attachments are kept (inside weftd's data folder)
     */
    public static CniFrontEnd start(CoreGateway core, Path socket, Path spoolDir, Path notesDir) throws IOException {
        CniFrontEnd f = new CniFrontEnd(AttachmentNotes.open(notesDir));
        try {
            f.spool = new DelSpool(spoolDir);
            CniService service = new CniService(core, f.notes, CniFrontEnd::wallClockNanos, f.after,
                    f.spool::hasPending);
            int left = f.spool.start(service);
            if (left > 0) {
                LOG.warn("{} spooled DELs could not be carried out yet; they are retried while weftd runs", left);
            }
            f.endpoint = CniEndpoint.open(socket, service, f.timers);
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** Pod names and ADD times of attachments, for the API and the CLI. */
    /** The pod (namespace/name) of each attachment whose ADD named one, for the CLI's allocations. */
    public Map<Attachment, String> podNames() {
        Map<Attachment, String> out = new HashMap<>();
        for (Note n : notes.all()) {
            if (n.podName() != null && !n.podName().isEmpty()) {
                out.put(new Attachment(n.containerId(), n.ifname(), n.network()),
                        (n.podNamespace() == null ? "" : n.podNamespace()) + "/" + n.podName());
            }
        }
        return out;
    }

    /** Whether {@code a} is a node gateway hold, which no pod holds and nothing but its network may free. */
    public static boolean isGatewayHold(Attachment a) {
        return NodeGateways.isGateway(a);
    }

    public AttachmentNotes notes() {
        return notes;
    }

    static long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public void close() throws IOException {
        try {
            if (endpoint != null) {
                endpoint.close();
            }
        } finally {
            if (spool != null) {
                spool.close();
            }
            after.shutdownNow();
            timers.shutdownNow();
        }
    }
}
