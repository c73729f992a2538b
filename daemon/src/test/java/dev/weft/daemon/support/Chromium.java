package dev.weft.daemon.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's headless Chromium, run once per call with its own profile folder, killed if it hangs. */
public final class Chromium {
    private static final Path BINARY = Path.of("/usr/bin/chromium");

    private Chromium() {}

    /** Skips (or, under WEFT_STRICT_TESTS=1, fails) when chromium is not installed. */
    public static void require() {
        Prerequisites.require(Files.isExecutable(BINARY), "chromium (apt-get install -y chromium)");
    }

    /** The page's DOM after its scripts ran. */
    public static String dumpDom(String url, Path work) throws IOException, InterruptedException {
        return run(work, "--dump-dom", url);
    }

    /** Writes a PNG of the page as a 1000x800 window shows it. */
    public static void screenshot(String url, Path png, Path work) throws IOException, InterruptedException {
        run(work, "--screenshot=" + png.toAbsolutePath(), "--window-size=1000,800", url);
    }

    private static String run(Path work, String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within 90 s: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + p.exitValue() + ": " + cmd);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
