package dev.weft.daemon.cni;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNI socket: one plugin call per connection, one request frame in, one response frame out.
 *
 * <p>JDK 17's own unix-domain channels rather than netty's epoll domain sockets: a call is one short
 * blocking exchange, which a plain accept loop and a bounded pool of workers serve with no extra machinery;
 * the CNI work itself waits on the core's loop, not on I/O.
 */
public final class CniEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CniEndpoint.class);
    /** A plugin that has not sent its whole frame by then is cut off (it holds a worker). */
    private static final long READ_TIMEOUT_MS = 10_000;
    /** Longer than the core's own request deadline, after which it answers "try again later" itself. */
    private static final long ANSWER_TIMEOUT_MS = 60_000;
    private static final int WORKERS = 32;

    private final Path path;
    private final ServerSocketChannel server;
    private final CniService service;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timers;
    private final Thread acceptor;

    private CniEndpoint(Path path, ServerSocketChannel server, CniService service, ScheduledExecutorService timers) {
        this.path = path;
        this.server = server;
        this.service = service;
        this.timers = timers;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096),
                Threads.named("weft-cni-worker"));
        this.acceptor = Threads.named("weft-cni-accept").newThread(this::acceptLoop);
    }

    /**
     * Binds {@code path} and starts serving. A socket file left by a dead weftd is replaced; one that
     * answers is another weftd's, and binding stops with a clear error.
     */
    public static CniEndpoint open(Path path, CniService service, ScheduledExecutorService timers) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (Files.exists(path)) {
            if (answers(path)) {
                throw new IOException("another process already serves the CNI socket " + path
                        + ": stop the other weftd, or give this one another --cni-socket");
            }
            Files.delete(path);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path), 256);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot serve the CNI socket " + path + ": " + e.getMessage()
                    + " (check that its folder is writable)", e);
        }
        CniEndpoint endpoint = new CniEndpoint(path, server, service, timers);
        endpoint.acceptor.start();
        LOG.info("CNI plugin socket serving at {}", path);
        return endpoint;
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException refused) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("CNI socket accept failed: {}", e.toString());
                continue;
            }
            try {
                workers.execute(() -> serve(ch));
            } catch (RejectedExecutionException e) {
                LOG.warn("CNI socket overloaded: {} calls queued; a plugin call was turned away", workers.getQueue().size());
                closeQuietly(ch);
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            ScheduledFuture<?> cut = timers.schedule(() -> closeQuietly(ch), READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            CniRequest request;
            try {
                InputStream in = Channels.newInputStream(ch);
                request = Frame.readRequest(in);
            } catch (Frame.BadFrameException e) {
                LOG.warn("bad frame on the CNI socket: {}", e.getMessage());
                write(ch, CniFailures.error(CniVersions.LATEST, new CniError(CniError.IO_FAILURE,
                        "weftd could not read the plugin's request: " + e.getMessage(),
                        "install the weft-ipam plugin that came with this weftd")));
                return;
            } finally {
                cut.cancel(false);
            }
            CniAnswer answer;
            try {
                answer = service.handle(request).get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                answer = CniFailures.error(CniVersions.LATEST, new CniError(CniError.TRY_AGAIN_LATER,
                        "weftd did not answer within " + ANSWER_TIMEOUT_MS + " ms", "try again later"));
            }
            write(ch, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The plugin went away or timed out; it reports "try again later" itself.
            LOG.debug("CNI call ended early: {}", e.toString());
        }
    }

    private static void write(SocketChannel ch, CniAnswer answer) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Frame.encodeResponse(answer));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("closing a CNI connection: {}", e.toString());
        }
    }

    /** Stops accepting, lets calls in progress finish (briefly), and removes the socket file. */
    @Override
    public void close() throws IOException {
        server.close();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(path);
    }
}
