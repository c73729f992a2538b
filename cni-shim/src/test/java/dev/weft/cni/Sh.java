package dev.weft.cni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command (ip, ping, a CNI plugin) and captures what it printed; never waits forever. */
record Sh(int exit, String out) {

    static Sh run(List<String> command) {
        return run(command, Map.of(), null);
    }

    static Sh run(List<String> command, Map<String, String> env, String stdin) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Sh(-1, "timed out: " + command);
            }
            return new Sh(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Sh(-1, command.get(0) + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sh(-1, "interrupted");
        }
    }

    static Sh ok(List<String> command) {
        Sh r = run(command);
        if (r.exit != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exit + "): " + r.out);
        }
        return r;
    }
}
