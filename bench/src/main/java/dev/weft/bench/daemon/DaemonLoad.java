package dev.weft.bench.daemon;

import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.api.v1.CheckRequest;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.api.v1.WeftGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Closed-loop load on weftd's API over its unix socket: {@code clients} callers, each with its own
 * connection (or {@code -Dweft.load.connections=N} shared among them), each sending its next request as soon
 * as the last is answered. Prints one line of figures.
 *
 * <pre>
 * DaemonLoad allocate SOCKET CLIENTS SECONDS   durable allocations (each a new attachment)
 * DaemonLoad noop     SOCKET CLIENTS SECONDS   Check of an attachment nobody holds: the same socket, gRPC and
 *                                              event loop, but nothing written (the ceiling without the disk)
 * DaemonLoad fill     SOCKET COUNT             allocate COUNT attachments (64 in flight), then exit
 * </pre>
 */
public final class DaemonLoad {
    private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(3);

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: DaemonLoad allocate|noop SOCKET CLIENTS SECONDS | fill SOCKET COUNT");
            System.exit(2);
        }
        String mode = args[0];
        String socket = args[1];
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            switch (mode) {
                case "allocate", "noop" -> run(mode, socket, Integer.parseInt(args[2]), Integer.parseInt(args[3]), group);
                case "fill" -> run("fill", socket, 64, Integer.parseInt(args[2]), group);
                default -> {
                    System.err.println("unknown mode " + mode);
                    System.exit(2);
                }
            }
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    static ManagedChannel channel(String socket, EventLoopGroup group) {
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket)).channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group).directExecutor().usePlaintext().build();
    }

    /** For fill, {@code amount} is the number of allocations; otherwise seconds of measurement. */
    static void run(String mode, String socket, int clients, int amount, EventLoopGroup group) throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        int connections = Integer.getInteger("weft.load.connections", clients);
        for (int i = 0; i < Math.min(clients, connections); i++) {
            ManagedChannel ch = channel(socket, group);
            WeftGrpc.newBlockingStub(ch).status(StatusRequest.getDefaultInstance()); // connect before timing
            channels.add(ch);
        }
        boolean fill = mode.equals("fill");
        long start = System.nanoTime();
        long measureFrom = fill ? start : start + WARMUP_NANOS;
        long stopAt = fill ? Long.MAX_VALUE : measureFrom + TimeUnit.SECONDS.toNanos(amount);
        AtomicLong issued = new AtomicLong();
        AtomicLong measured = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(clients);
        String run = Long.toString(System.nanoTime(), 36);
        for (int c = 0; c < clients; c++) {
            int client = c;
            latencies[c] = new long[1 << 16];
            WeftGrpc.WeftStub stub = WeftGrpc.newStub(channels.get(c % channels.size()));
            new Object() {
                void next() {
                    long n = issued.incrementAndGet();
                    if ((fill && n > amount) || System.nanoTime() >= stopAt) {
                        finished.countDown();
                        return;
                    }
                    long t0 = System.nanoTime();
                    BiConsumer<Boolean, Throwable> after = (ok, error) -> {
                        long t1 = System.nanoTime();
                        completed.incrementAndGet();
                        if (error != null) {
                            failed.incrementAndGet();
                        } else if (t0 >= measureFrom && t1 < stopAt) {
                            measured.incrementAndGet();
                            latencies[client][counts[client]++ & 0xffff] = t1 - t0;
                        }
                        next();
                    };
                    Attachment att = Attachment.newBuilder().setContainerId(run + "-" + n).setIfname("eth0").build();
                    if (mode.equals("noop")) {
                        stub.check(CheckRequest.newBuilder().setAttachment(att).build(), observer(after));
                    } else {
                        stub.allocate(AllocateRequest.newBuilder().setAttachment(att).build(), observer(after));
                    }
                }
            }.next();
        }
        finished.await();
        long elapsed = fill ? System.nanoTime() - start : stopAt - measureFrom;
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
        long total = fill ? Math.min(issued.get() - clients, amount) : measured.get();
        List<Long> all = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            for (int i = 0; i < Math.min(counts[c], 1 << 16); i++) {
                all.add(latencies[c][i]);
            }
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        System.out.printf("mode=%s clients=%d ops=%d seconds=%.2f ops_per_s=%.0f p50_us=%.0f p99_us=%.0f failed=%d"
                + " all_ops=%d%n", mode, clients, total, elapsed / 1e9, total / (elapsed / 1e9), pct(sorted, 0.50) / 1e3,
                pct(sorted, 0.99) / 1e3, failed.get(), completed.get());
        if (fill && failed.get() > 0) {
            System.exit(1);
        }
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static <T> StreamObserver<T> observer(BiConsumer<Boolean, Throwable> after) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {}

            @Override
            public void onError(Throwable t) {
                after.accept(false, t);
            }

            @Override
            public void onCompleted() {
                after.accept(true, null);
            }
        };
    }
}
