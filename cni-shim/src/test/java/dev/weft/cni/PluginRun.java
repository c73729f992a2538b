package dev.weft.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a plugin executable as the runtime would: a clean environment, config on stdin, stdout read whole. */
record PluginRun(int exit, String stdout, String stderr) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static PluginRun run(Path executable, Map<String, String> env, byte[] stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(executable.toString());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // the plugin may stop reading early (VERSION); what it printed is what counts
        }
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(executable + " did not exit within 90 s");
        }
        return new PluginRun(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                new String(err.get(), StandardCharsets.UTF_8));
    }

    static PluginRun run(Path executable, Map<String, String> env, String stdin) throws Exception {
        return run(executable, env, stdin.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream s) {
        try {
            return s.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    JsonNode json() {
        try {
            return MAPPER.readTree(stdout);
        } catch (IOException e) {
            throw new AssertionError("stdout is not one JSON value: '" + stdout + "' (stderr: " + stderr + ")", e);
        }
    }

    int code() {
        return json().get("code").asInt();
    }

    @Override
    public String toString() {
        return "exit " + exit + ", stdout " + stdout + ", stderr " + stderr;
    }
}
