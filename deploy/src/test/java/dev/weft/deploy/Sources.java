package dev.weft.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The texts the deploy checks read, by path from the repository root: every manifest under
 * deploy/kubernetes, the Dockerfile, deploy/README.md (how the CA Secret is made) and the native plugin's
 * source (its default socket and spool). Held as text so a test can feed a drifted copy.
 */
record Sources(Map<String, String> files) {
    static final String MANIFESTS = "deploy/kubernetes/";
    static final String DOCKERFILE = "deploy/Dockerfile";
    static final String README = "deploy/README.md";
    static final String PLUGIN = "cni-shim/src/main/c/weft-ipam.c";

    Sources {
        files = Map.copyOf(files);
    }

    /** The repository root: the deploy module's parent (Maven runs tests in the module's folder). */
    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("kubernetes")) ? here.getParent() : here;
    }

    static Sources read(Path root) {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(root.resolve(MANIFESTS))) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".yaml") || n.endsWith(".yml")) {
                    out.put(MANIFESTS + n, Files.readString(p));
                }
            }
            for (String f : new String[] {DOCKERFILE, README, PLUGIN}) {
                out.put(f, Files.readString(root.resolve(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Sources(out);
    }

    String text(String file) {
        String t = files.get(file);
        if (t == null) {
            throw new IllegalArgumentException("no " + file + " among " + files.keySet());
        }
        return t;
    }

    Map<String, String> manifests() {
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((k, v) -> {
            if (k.startsWith(MANIFESTS)) {
                out.put(k.substring(MANIFESTS.length()), v);
            }
        });
        return out;
    }

    /** A copy with {@code from} replaced by {@code to} in {@code file}; {@code from} must occur exactly once. */
    Sources with(String file, String from, String to) {
        String t = text(file);
        int at = t.indexOf(from);
        if (at < 0 || t.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("'" + from + "' must occur exactly once in " + file);
        }
        Map<String, String> copy = new LinkedHashMap<>(files);
        copy.put(file, t.substring(0, at) + to + t.substring(at + from.length()));
        return new Sources(copy);
    }
}
