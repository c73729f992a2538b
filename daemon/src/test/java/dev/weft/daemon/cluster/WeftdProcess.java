package dev.weft.daemon.cluster;

import dev.weft.daemon.api.v1.StatusReply;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.support.ApiClient;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One weftd as a separate JVM (the same main class as bin/weftd), with its files under its own folder. */
final class WeftdProcess implements AutoCloseable {
    final String name;
    final Path dir;
    final List<String> args;
    private Process process;
    private ApiClient client;

    WeftdProcess(String name, Path dir, List<String> args) {
        this.name = name;
        this.dir = dir;
        this.args = args;
    }

    Path socket() {
        return dir.resolve("weft.sock");
    }

    void start() throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.weft.daemon.Weftd"));
        cmd.addAll(args);
        cmd.addAll(List.of("--name", name, "--data-dir", dir.resolve("data").toString(), "--socket",
                socket().toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("log.txt").toFile())).start();
    }

    /** The API client, (re)made after each start. */
    ApiClient api() {
        if (client == null) {
            client = new ApiClient(socket());
        }
        return client;
    }

    StatusReply awaitReady(long millis) throws Exception {
        long until = System.nanoTime() + millis * 1_000_000;
        StatusReply last = null;
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            if (Files.exists(socket())) {
                try {
                    last = api().blocking().status(StatusRequest.getDefaultInstance());
                    if (last.getState().equals("ready")) {
                        return last;
                    }
                } catch (StatusRuntimeException e) {
                    // not serving yet
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " not ready after " + millis + " ms: " + last + "\n" + log());
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        closeClient();
    }

    /** SIGTERM, and wait for the process to finish its shutdown. */
    void terminate() throws InterruptedException {
        process.destroy();
        process.waitFor(60, TimeUnit.SECONDS);
        closeClient();
    }

    int exitCode() {
        return process.exitValue();
    }

    String log() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("log.txt"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closeClient();
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
