package dev.weft.daemon.cli;

import dev.weft.daemon.api.v1.WeftGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One connection to weftd's API socket for one command. Every call's failure becomes a {@link CliFailure}
 * with the exit code of its status, and a daemon that is not there is named by the socket tried.
 */
final class DaemonLink implements AutoCloseable {
    private final Path socket;
    private final int timeoutSeconds;
    private final EventLoopGroup group;
    private final ManagedChannel channel;

    private DaemonLink(Path socket, int timeoutSeconds) {
        this.socket = socket;
        this.timeoutSeconds = timeoutSeconds;
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext().build();
    }

    static DaemonLink open(Path socket, int timeoutSeconds) {
        if (!Epoll.isAvailable()) {
            throw new CliFailure(ExitCode.FAILED, "weft needs Linux on x86_64 to reach weftd's unix socket ("
                    + Epoll.unavailabilityCause() + ")");
        }
        if (!Files.exists(socket)) {
            throw notRunning(socket, "no socket file there");
        }
        if (!Files.isReadable(socket) || !Files.isWritable(socket)) {
            throw new CliFailure(ExitCode.NO_DAEMON, "cannot use weftd's socket " + socket.toAbsolutePath()
                    + ": permission denied. Run weft as root or as a member of the socket's group");
        }
        return new DaemonLink(socket, timeoutSeconds);
    }

    /** Calls the daemon; a failure ends the command with a message and the matching exit code. */
    <T> T call(Function<WeftGrpc.WeftBlockingStub, T> rpc) {
        try {
            return rpc.apply(WeftGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS));
        } catch (StatusRuntimeException e) {
            throw failure(e);
        }
    }

    private CliFailure failure(StatusRuntimeException e) {
        Status s = e.getStatus();
        String what = s.getDescription() == null ? s.getCode().toString() : s.getDescription();
        return switch (s.getCode()) {
            // A status the daemon sent has no cause; one made by the client from a failed connection has.
            case UNAVAILABLE -> s.getCause() != null || what.startsWith("io exception")
                    ? notRunning(socket, String.valueOf(s.getCause() != null ? s.getCause().getMessage() : what))
                    : new CliFailure(ExitCode.NOT_READY, "not ready, try again later: " + what);
            case DEADLINE_EXCEEDED -> new CliFailure(ExitCode.NOT_READY, "weftd at " + socket.toAbsolutePath()
                    + " did not answer within " + timeoutSeconds + " s; try again, or raise --timeout");
            case INVALID_ARGUMENT -> new CliFailure(ExitCode.USAGE, what);
            case FAILED_PRECONDITION -> new CliFailure(ExitCode.REFUSED, "refused: " + what);
            case NOT_FOUND -> new CliFailure(ExitCode.NOT_FOUND, what);
            case ALREADY_EXISTS -> new CliFailure(ExitCode.TAKEN, what);
            default -> new CliFailure(ExitCode.FAILED, "weftd failed the call (" + s.getCode() + "): " + what);
        };
    }

    private static CliFailure notRunning(Path socket, String detail) {
        return new CliFailure(ExitCode.NO_DAEMON, "weftd is not running, or not at " + socket.toAbsolutePath() + " ("
                + detail + "). Start weftd, or point weft at its socket with --socket or WEFT_SOCKET");
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
