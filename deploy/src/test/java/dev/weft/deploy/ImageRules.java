package dev.weft.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Dockerfile against the DaemonSet and the build: the stages' base images, where each file the DaemonSet
 * runs comes from in the build, the AOT cache the JVM flags name is the one the image makes, and the heap
 * fits the memory limit.
 */
final class ImageRules {
    static final String BUILD_IMAGE = "maven:3-eclipse-temurin-25";
    static final String RUN_IMAGE = "eclipse-temurin:25-jre";
    /** Measured off-heap beside the heap (docs/benchmarks.md): ~120 MiB at start; the limit must leave it. */
    /** What the deploy module's package phase assembles, relative to the repository root. */
    static final String IMAGE_FOLDER = "deploy/target/image/";
    static final long OFF_HEAP = 128L << 20;
    private static final Pattern AOT = Pattern.compile("-XX:AOTCache=(\\S+)");
    private static final Pattern XMX = Pattern.compile("-Xmx(\\d+[kmgKMG]?)");

    private ImageRules() {}

    static void check(DeployCheck.Context c) {
        String df = Sources.DOCKERFILE;
        Dockerfile d = c.dockerfile();
        if (d.stages().size() < 2) {
            c.problem(df + ": needs a build stage and a run stage");
            return;
        }
        Dockerfile.Stage build = d.stages().get(0);
        Dockerfile.Stage run = d.last();
        PodRules.expect(c, df, build.image().equals(BUILD_IMAGE) && !build.alias().isEmpty(),
                "the first stage must be FROM " + BUILD_IMAGE + " AS <name>");
        PodRules.expect(c, df, run.image().equals(RUN_IMAGE), "the last stage must be FROM " + RUN_IMAGE);
        for (Dockerfile.Copy copy : run.copies()) {
            PodRules.expect(c, df, copy.from().equals(build.alias())
                    && copy.source().equals(build.workdir() + "/" + IMAGE_FOLDER),
                    "the run stage copies " + copy.source() + "; it must copy only " + IMAGE_FOLDER
                    + " from the build stage, the folder mvn package assembles and ImageIT checks");
        }
        for (JsonNode ct : c.pod().allContainers()) {
            List<String> files = new ArrayList<>(Pod.strings(ct.path("command")));
            if (ct.path("name").asText().equals(DeployCheck.INSTALLER) && files.size() > 1) {
                files = files.subList(0, 2); // install-cni and the plugin it installs; the rest are mounts
            } else if (!files.isEmpty()) {
                files = files.subList(0, 1);
            }
            for (String f : files) {
                PodRules.expect(c, df, source(d, f).isPresent(), "the DaemonSet runs " + f
                        + ", which no COPY --from=" + build.alias() + " puts in the image");
            }
        }
        if (c.args().get("--host-routes") != null) {
            PodRules.expect(c, df, run.runs().stream().anyMatch(r -> r.matches(".*apt-get install.*\\biproute2\\b.*")),
                    "weftd runs with --host-routes, which keeps routes with `ip`: the run stage must install iproute2");
        }
        String opts = run.env().getOrDefault("JAVA_OPTS", "");
        Matcher aot = AOT.matcher(opts);
        if (!aot.find()) {
            c.problem(df + ": ENV JAVA_OPTS names no -XX:AOTCache, so weftd starts without the image's AOT cache");
        } else {
            String cache = aot.group(1);
            PodRules.expect(c, df, run.runs().stream().anyMatch(r -> r.matches(".*\\btrain-aot\\s+" + Pattern.quote(cache)
                    + "\\s*$")), "JAVA_OPTS uses the AOT cache " + cache + " but no RUN train-aot makes it");
        }
        Matcher xmx = XMX.matcher(opts);
        String limit = c.weftd().at("/resources/limits/memory").asText("");
        if (xmx.find() && !limit.isEmpty()) {
            PodRules.expect(c, df, Quantity.jvm(xmx.group(1)) + OFF_HEAP <= Quantity.bytes(limit), "-Xmx"
                    + xmx.group(1) + " plus ~128 MiB off-heap does not fit weftd's memory limit " + limit);
        } else {
            c.problem(df + ": JAVA_OPTS must set -Xmx, and weftd a memory limit, so the heap fits the limit");
        }
    }

    /**
     * Where an image path comes from in the repository after the build, through the run stage's COPY
     * --from=build (the build stage's WORKDIR is the repository root); empty if nothing copies it.
     */
    static Optional<String> source(Dockerfile d, String imagePath) {
        Dockerfile.Stage build = d.stages().get(0);
        String work = build.workdir().endsWith("/") ? build.workdir() : build.workdir() + "/";
        for (Dockerfile.Copy copy : d.last().copies()) {
            if (!copy.from().equals(build.alias()) || !copy.source().startsWith(work)) {
                continue;
            }
            String dest = copy.destination().endsWith("/") ? copy.destination() : copy.destination() + "/";
            String src = copy.source().substring(work.length());
            if (imagePath.startsWith(dest)) {
                return Optional.of((src.endsWith("/") ? src : src + "/") + imagePath.substring(dest.length()));
            }
            if (imagePath.equals(copy.destination())) {
                return Optional.of(src);
            }
        }
        return Optional.empty();
    }
}
