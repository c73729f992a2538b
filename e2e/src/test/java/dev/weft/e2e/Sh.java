package dev.weft.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command (ip, tc, weft, weft-ipam) and captures stdout and stderr apart; never waits forever. A command
 * that outlives its limit is killed and reported with exit -1 and {@code timedOut}, so "it hung" is a finding,
 * not a stuck test.
 */
record Sh(int exit, String out, String err, boolean timedOut) {

    static Sh run(List<String> command) {
        return run(command, Map.of(), null, 60);
    }

    static Sh run(List<String> command, Map<String, String> env, String stdin, int timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p, false));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p, true));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the command closed its stdin early; its output says why
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Sh(-1, "", "timed out after " + timeoutSeconds + " s: " + command, true);
            }
            return new Sh(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            return new Sh(-1, "", command.get(0) + " could not run: " + e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sh(-1, "", "interrupted", false);
        }
    }

    private static byte[] drain(Process p, boolean err) {
        try (var in = err ? p.getErrorStream() : p.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    static Sh ok(List<String> command) {
        Sh r = run(command);
        if (r.exit != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exit + "): " + r.out + r.err);
        }
        return r;
    }
}
