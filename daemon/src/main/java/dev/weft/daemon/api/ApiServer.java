package dev.weft.daemon.api;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves gRPC services on a unix socket (netty epoll domain sockets), mode 0660 so only root and the
 * socket's group may call. A socket file left by a crashed daemon is replaced; one that answers belongs to
 * a running weftd and is refused.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final Path path;
    private final EventLoopGroup group;
    private final Server server;

    private ApiServer(Path path, EventLoopGroup group, Server server) {
        this.path = path;
        this.group = group;
        this.server = server;
    }

    public static ApiServer start(Path path, BindableService... services) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("netty epoll is not available (" + Epoll.unavailabilityCause() + "): weftd needs"
                    + " Linux on x86_64 for its unix socket API");
        }
        prepare(path);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            NettyServerBuilder b = NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
                    .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group)
                    .workerEventLoopGroup(group)
                    // Handlers only queue work to the event loop and never block: run them on netty's thread.
                    .directExecutor();
            for (BindableService s : services) {
                b.addService(s);
            }
            Server server = b.build().start();
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
            log.info("API listening on unix socket {}", path);
            return new ApiServer(path, group, server);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("cannot serve the API on " + path + ": " + e.getMessage(), e);
        }
    }

    private static void prepare(Path path) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        if (!Files.exists(path)) {
            return;
        }
        if (answers(path)) {
            throw new IOException("another process (a running weftd?) already serves " + path + ": stop it, or give"
                    + " this weftd its own --socket");
        }
        log.info("replacing the stale socket file {} left by an earlier run", path);
        Files.delete(path);
    }

    private static boolean answers(Path path) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return ch.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("could not remove socket file {}: {}", path, e.getMessage());
        }
    }
}
