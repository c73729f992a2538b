package dev.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After {@code mvn package}: the folder the Dockerfile copies holds exactly the daemon's and the plugin's
 * build output plus the image's two scripts, every file the DaemonSet runs is in it, install-cni installs
 * atomically, and train-aot makes a class-data archive the JVM then maps.
 */
class ImageIT {
    private static final Path ROOT = Sources.root();
    private static final Path IMAGE = Path.of(System.getProperty("weft.image.dir",
            ROOT.resolve("deploy/target/image").toString()));
    private final Sources shipped = Sources.read(ROOT);
    private final Dockerfile dockerfile = Dockerfile.parse(shipped.text(Sources.DOCKERFILE));

    @Test
    void everyCopySourceExistsAfterPackage() {
        Dockerfile.Stage build = dockerfile.stages().get(0);
        List<Dockerfile.Copy> copies = dockerfile.last().copies();
        assertThat(copies).isNotEmpty();
        for (Dockerfile.Copy copy : copies) {
            Path source = ROOT.resolve(copy.source().substring(build.workdir().length() + 1));
            assertThat(source).as(copy.toString()).isDirectory();
            assertThat(source.toAbsolutePath().normalize()).isEqualTo(IMAGE.toAbsolutePath().normalize());
        }
    }

    @Test
    void theImageFolderHoldsExactlyTheBuildOutputs() throws IOException {
        Map<String, Path> expected = new TreeMap<>();
        add(expected, ROOT.resolve("daemon/target/weft/bin"), "bin/");
        add(expected, ROOT.resolve("daemon/target/weft/lib"), "lib/");
        expected.put("cni/weft-ipam", ROOT.resolve("cni-shim/target/weft-ipam/native/weft-ipam"));
        add(expected, ROOT.resolve("deploy/src/main/image/bin"), "bin/");
        Map<String, Path> actual = new TreeMap<>();
        add(actual, IMAGE, "");
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            assertThat(Files.mismatch(e.getValue(), actual.get(e.getKey()))).as(e.getKey()).isEqualTo(-1L);
        }
    }

    @Test
    void everyFileTheDaemonSetRunsIsAnExecutableInTheImage() {
        for (String file : List.of("/opt/weft/bin/weftd", "/opt/weft/bin/install-cni", "/opt/weft/cni/weft-ipam",
                "/opt/weft/bin/train-aot", "/opt/weft/bin/weft")) {
            String source = ImageRules.source(dockerfile, file).orElseThrow();
            assertThat(ROOT.resolve(source)).as(file).isExecutable().isRegularFile();
        }
        assertThat(shipped.text("deploy/kubernetes/daemonset.yaml")).contains("/opt/weft/bin/weftd",
                "/opt/weft/bin/install-cni", "/opt/weft/cni/weft-ipam");
    }

    @Test
    void installCniPutsBothFilesInPlaceByRenameAndReplacesThem(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("opt/cni/bin"));
        Path conf = Files.createDirectories(tmp.resolve("etc/cni/net.d"));
        Path conflist = tmp.resolve("10-weft.conflist");
        Files.writeString(conflist, "{\"cniVersion\":\"1.0.0\",\"name\":\"weft\",\"plugins\":[]}\n");
        Path plugin = IMAGE.resolve("cni/weft-ipam");
        for (int round = 0; round < 2; round++) { // the second round replaces what the first installed
            Result r = run(Map.of(), 60, IMAGE.resolve("bin/install-cni").toString(), plugin.toString(),
                    conflist.toString(), bin.toString(), conf.toString());
            assertThat(r.code()).as(r.output()).isZero();
            assertThat(Files.mismatch(plugin, bin.resolve("weft-ipam"))).isEqualTo(-1L);
            assertThat(Files.getPosixFilePermissions(bin.resolve("weft-ipam")))
                    .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
            assertThat(Files.readString(conf.resolve("10-weft.conflist"))).isEqualTo(Files.readString(conflist));
            try (Stream<Path> left = Stream.concat(Files.list(bin), Files.list(conf))) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("weft-ipam",
                        "10-weft.conflist");
            }
        }
        Result usage = run(Map.of(), 60, IMAGE.resolve("bin/install-cni").toString(), plugin.toString());
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.output()).contains("usage: install-cni");
        Result noFolder = run(Map.of(), 60, IMAGE.resolve("bin/install-cni").toString(), plugin.toString(),
                conflist.toString(), tmp.resolve("absent").toString(), conf.toString());
        assertThat(noFolder.code()).isEqualTo(1);
        assertThat(noFolder.output()).contains("is not a folder: mount the node's CNI folder there");
    }

    /** With this JVM (JDK 17 in CI): an AppCDS archive that the JVM then maps (-Xshare:on fails otherwise). */
    @Test
    void trainAotMakesAnArchiveWeftdStartsWith(@TempDir Path tmp) throws Exception {
        Path archive = tmp.resolve("weftd.jsa");
        String javaHome = System.getProperty("java.home");
        String opts = "-Xms64m -Xmx256m -XX:+UseSerialGC";
        Result train = run(Map.of("JAVA_HOME", javaHome, "JAVA_OPTS", opts), 300,
                IMAGE.resolve("bin/train-aot").toString(), archive.toString());
        assertThat(train.code()).as(train.output()).isZero();
        assertThat(archive).isNotEmptyFile();
        Result use = run(Map.of("JAVA_HOME", javaHome, "JAVA_OPTS", opts + " -XX:SharedArchiveFile=" + archive
                + " -Xshare:on"), 120, IMAGE.resolve("bin/weftd").toString(), "--version");
        assertThat(use.code()).as(use.output()).isZero();
        assertThat(use.output()).contains("weftd " + new DaemonFlags().version());
    }

    /**
     * With a Temurin 25 beside the build JDK (not a CI prerequisite: the image brings its own), exactly what
     * the Dockerfile runs: train-aot with the image's JAVA_OPTS, then weftd with -XX:AOTMode=on, which refuses
     * to start unless the cache maps.
     */
    @Test
    void trainAotMakesTheImagesAotCacheOnJdk25(@TempDir Path tmp) throws Exception {
        Path java25 = Path.of(System.getProperty("weft.jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
        Assumptions.assumeTrue(Files.isExecutable(java25), "no JDK 25 at " + java25);
        String javaHome = java25.getParent().getParent().toString();
        Path cache = tmp.resolve("weftd.aot");
        String opts = dockerfile.last().env().get("JAVA_OPTS").replaceAll("-XX:AOTCache=\\S+", "-XX:AOTCache=" + cache);
        Result train = run(Map.of("JAVA_HOME", javaHome, "JAVA_OPTS", opts), 300,
                IMAGE.resolve("bin/train-aot").toString(), cache.toString());
        assertThat(train.code()).as(train.output()).isZero();
        Result use = run(Map.of("JAVA_HOME", javaHome, "JAVA_OPTS", opts + " -XX:AOTMode=on"), 120,
                IMAGE.resolve("bin/weftd").toString(), "--version");
        assertThat(use.code()).as(use.output()).isZero();
        assertThat(use.output()).contains("weftd " + new DaemonFlags().version()).doesNotContain("[error][aot]");
    }

    private static void add(Map<String, Path> out, Path folder, String prefix) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(prefix + folder.relativize(p), p);
            }
        }
    }

    record Result(int code, String output) {}

    /** Runs a command with stdout and stderr together; on timeout it and everything it started are killed. */
    private static Result run(Map<String, String> env, int seconds, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_") && !Set.of("WEFT_STRICT_TESTS").contains(k));
        Path out = Files.createTempFile("weft-deploy-it", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
                tree.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s:\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
