package dev.weft.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.daemon.cli.Weft;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * One real weftd (the distribution's bin/weftd) inside node i's namespace, with its data folder, sockets, spool and
 * log under its own folder, and the weft CLI pointed at it. Restarts reuse the data folder: the same identity.
 */
final class Node implements AutoCloseable {
    static final int PEER_PORT = 7946;
    static final int METRICS_PORT = 9100;
    static final ObjectMapper JSON = new ObjectMapper();
    final int index;
    final String name;
    final Path dir;
    private final Lan lan;
    private final List<String> args;
    private Process process;

    Node(Lan lan, int index, int count, Path dir, String range) {
        this(lan, index, count, dir, range, List.of());
    }

    /** With {@code extra} flags after the usual ones (such as {@code --host-routes}). */
    Node(Lan lan, int index, int count, Path dir, String range, List<String> extra) {
        this.lan = lan;
        this.index = index;
        this.name = "n" + index;
        this.dir = dir;
        List<String> peers = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            seeds.add("n" + j);
            if (j != index) {
                peers.add(Lan.address(j) + ":" + PEER_PORT);
            }
        }
        List<String> a = new ArrayList<>(List.of("--name", name, "--range", range, "--listen",
                Lan.address(index) + ":" + PEER_PORT, "--peers", String.join(",", peers), "--bootstrap",
                "seeds=" + String.join(",", seeds), "--plaintext", "--metrics-address",
                Lan.address(index) + ":" + METRICS_PORT, "--data-dir", dir.resolve("data").toString(), "--socket",
                socket().toString(), "--tick-ms", "100", "--unique-names", "--cni-results-dir",
                cniCache().dir().toString(),
                // The shortest removal grace and takeover cool-down weftd accepts: rmpeer and succession still
                // wait them out and are still refused within them, the run just spends less of itself waiting.
                "--removal-grace", "15s", "--takeover-cooldown", "10s"));
        a.addAll(extra);
        this.args = List.copyOf(a);
    }

    static Path home() {
        return Path.of(System.getProperty("weftd.home", "../daemon/target/weft"));
    }

    Path socket() {
        return dir.resolve("weft.sock");
    }

    /** weftd's CNI socket: its default, beside the API socket. */
    Path cniSocket() {
        return dir.resolve("cni.sock");
    }

    /** weftd's spool: its default, beside the data folder, where the plugin leaves a DEL while weftd is away. */
    Path spool() {
        return dir.resolve("data-cni").resolve("spool");
    }

    /** libcni's result cache of this node, kept outside weftd's folders as /var/lib/cni is on a real node. */
    LibcniCache cniCache() {
        return new LibcniCache(dir.resolve("cni-results"));
    }

    /**
     * Deletes weftd's data folder (it must be stopped): the node comes back as a new install under its name.
     * With {@code podsGone} the node was reinstalled: libcni's cache and weftd's CNI state go too.
     */
    void wipe(boolean podsGone) throws IOException {
        if (alive()) {
            throw new AssertionError(name + " must be stopped before its data folder is wiped");
        }
        delete(dir.resolve("data"));
        if (podsGone) {
            delete(cniCache().dir());
            delete(dir.resolve("data-cni"));
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var walk = Files.walk(folder)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    void start() throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(home().resolve("bin/weftd").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(lan.exec(index, cmd)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("weftd.log").toFile()));
        pb.environment().put("JAVA_OPTS", "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        process = pb.start();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL (ip netns exec execs weftd, so this is weftd's own pid): nothing is flushed, no hook runs. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not die on SIGKILL within 60 s");
        }
    }

    /**
     * The CLI's answer as JSON; null when the CLI failed (the daemon down or not serving yet). These are the reads
     * the checks and waits poll with (status, ring, allocations), so they run the weft CLI's own command line in
     * this JVM, against the daemon's socket as bin/weft does, instead of starting a JVM per poll: on two cores
     * hundreds of those slowed the daemons under test. What an operator does (rmpeer, leave) goes through the
     * shipped bin/weft ({@link #cliRun}).
     */
    JsonNode cli(String... verb) {
        List<String> args = new ArrayList<>(List.of(verb));
        args.addAll(List.of("--socket", socket().toString(), "-o", "json", "--timeout", "30"));
        CommandLine weft = Weft.commandLine();
        StringWriter out = new StringWriter();
        weft.setOut(new PrintWriter(out, true));
        weft.setErr(new PrintWriter(new StringWriter(), true));
        Sh r = new Sh(weft.execute(args.toArray(String[]::new)), out.toString(), "", false);
        if (r.exit() != 0) {
            return null;
        }
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("weft " + String.join(" ", verb) + " printed what is not JSON: " + r.out(), e);
        }
    }

    Sh cliRun(String... verb) {
        List<String> cmd = new ArrayList<>(List.of(home().resolve("bin/weft").toString()));
        cmd.addAll(List.of(verb));
        cmd.addAll(List.of("--socket", socket().toString(), "-o", "json", "--timeout", "30"));
        return Sh.run(cmd, Map.of("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"), null, 120);
    }

    /** Waits (on the condition, not a clock) until weftd answers status with state "ready". */
    JsonNode awaitReady(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        JsonNode last = null;
        while (System.nanoTime() < until) {
            if (!alive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
            }
            if (Files.exists(socket())) {
                last = cli("status");
                if (last != null && "ready".equals(last.path("state").asText())) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " not ready after " + millis + " ms: " + last + "\n" + log());
    }

    /**
     * The Prometheus page, fetched from inside this node's namespace (metrics listen on its address only), with
     * bash's /dev/tcp so the test needs no HTTP client on the machine.
     */
    String metrics() {
        String get = "exec 3<>/dev/tcp/" + Lan.address(index) + "/" + METRICS_PORT
                + " && printf 'GET /metrics HTTP/1.0\\r\\nHost: weftd\\r\\n\\r\\n' >&3 && cat <&3";
        Sh r = Sh.run(lan.exec(index, List.of("bash", "-c", get)), Map.of(), null, 60);
        if (r.exit() != 0) {
            throw new AssertionError("metrics of " + name + " unreadable (" + r.exit() + "): " + r.err());
        }
        return r.out();
    }

    /** The sum of every sample of one metric family on the metrics page (all tag values together). */
    static double sum(String page, String family) {
        double total = 0;
        for (String line : page.split("\n")) {
            if (line.startsWith(family + " ") || line.startsWith(family + "{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    String log() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("weftd.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops every one of {@code nodes}, for cleanup: an interrupt is kept for the caller, not thrown. */
    static void closeAll(java.util.Collection<Node> nodes) {
        for (Node n : nodes) {
            try {
                n.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
