package dev.weft.cni;

import dev.weft.daemon.cni.CniAnswer;
import dev.weft.daemon.cni.Frame;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real weftd (the distribution's bin/weftd), alone on loopback, its state in a test folder. */
final class WeftdProcess implements AutoCloseable {
    private final Process process;
    final Path dir;
    final Path cniSocket;
    final Path spool;

    private WeftdProcess(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
        this.cniSocket = dir.resolve("cni.sock");
        this.spool = dir.resolve("spool");
    }

    static Path home() {
        Path home = Path.of(System.getProperty("weftd.home", "../daemon/target/weft"));
        if (!Files.isExecutable(home.resolve("bin/weftd"))) {
            throw new AssertionError("no weftd at " + home + "/bin/weftd: build the daemon module first (mvn package)");
        }
        return home;
    }

    /** Starts weftd on {@code dir} (reusing its data, spool and notes when present) and waits until ADD can succeed. */
    static WeftdProcess start(Path dir) throws Exception {
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(List.of(home().resolve("bin/weftd").toString(), "--name", "node-a",
                "--data-dir", dir.resolve("data").toString(), "--socket", dir.resolve("api.sock").toString(),
                "--cni-socket", dir.resolve("cni.sock").toString(), "--cni-spool", dir.resolve("spool").toString(),
                "--cni-notes", dir.resolve("notes").toString(), "--listen", "127.0.0.1:0",
                "--metrics-address", "127.0.0.1:0"));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("weftd.log").toFile()));
        WeftdProcess w = new WeftdProcess(pb.start(), dir);
        try {
            w.awaitReady();
        } catch (Exception | AssertionError e) {
            w.close();
            throw e;
        }
        return w;
    }

    private void awaitReady() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String status = "{\"cniVersion\":\"1.1.0\",\"name\":\"weft\",\"ipam\":{\"type\":\"weft-ipam\"}}";
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("weftd exited with " + process.exitValue() + ": " + log());
            }
            if (Files.exists(cniSocket)) {
                try {
                    CniAnswer a = call(Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/x"), status);
                    if (a.exitCode() == 0) {
                        return;
                    }
                } catch (IOException e) {
                    // not serving yet
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("weftd not ready within 60 s: " + log());
            }
            Thread.sleep(50);
        }
    }

    /** One call over the CNI socket with the daemon's own frame code (the plugins are tested elsewhere). */
    CniAnswer call(Map<String, String> env, String stdin) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(cniSocket))) {
            ByteBuffer b = ByteBuffer.wrap(Frame.encodeRequest(env, stdin.getBytes(StandardCharsets.UTF_8)));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            return Frame.readResponse(Channels.newInputStream(ch));
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("weftd.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, as the kubelet stops a pod; killed if it does not stop in time. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
