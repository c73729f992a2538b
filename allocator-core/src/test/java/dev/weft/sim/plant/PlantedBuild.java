package dev.weft.sim.plant;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The core with one {@link Plant} in it: the patched source compiled on its own against the built core,
 * and a class loader that finds the patched class first and everything else of the core and the simulator
 * after it, so the simulator runs against the planted core without any hook in production code.
 */
public final class PlantedBuild implements AutoCloseable {
    private final Path dir;
    private final URLClassLoader loader;

    private PlantedBuild(Path dir, URLClassLoader loader) {
        this.dir = dir;
        this.loader = loader;
    }

    /**
     * @param sources the core's src/main/java
     * @param mainClasses the compiled core
     * @param testClasses the compiled simulator
     */
    public static PlantedBuild of(Plant plant, Path sources, Path mainClasses, Path testClasses) throws IOException {
        String original = Files.readString(sources.resolve(plant.file()), StandardCharsets.UTF_8);
        int at = original.indexOf(plant.find());
        if (at < 0 || original.indexOf(plant.find(), at + 1) >= 0) {
            throw new IllegalStateException("plant '" + plant + "' must find its code exactly once in " + plant.file()
                    + " (found " + (at < 0 ? "none" : "several") + "): the code moved, update the plant");
        }
        String patched = original.substring(0, at) + plant.replace() + original.substring(at + plant.find().length());
        Path dir = Files.createTempDirectory("weft-plant-");
        Path src = dir.resolve("src").resolve(plant.file());
        Files.createDirectories(src.getParent());
        Files.writeString(src, patched, StandardCharsets.UTF_8);
        Path out = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("planted-bug tests need a JDK (javax.tools), not a bare JRE");
        }
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null, List.of("-d", out.toString(), "-classpath", mainClasses.toString(),
                "-proc:none", "-nowarn", "-Xlint:none"), null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(src.toFile())).call();
        if (!ok) {
            throw new IllegalStateException("plant '" + plant + "' does not compile:\n" + errors);
        }
        URLClassLoader loader = new URLClassLoader("plant", new URL[] {out.toUri().toURL(), mainClasses.toUri().toURL(),
                testClasses.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        return new PlantedBuild(dir, loader);
    }

    /** The un-planted core, loaded the same way (to show a plant's hunt finds nothing without the plant). */
    public static PlantedBuild clean(Path mainClasses, Path testClasses) throws IOException {
        return new PlantedBuild(null, new URLClassLoader("clean", new URL[] {mainClasses.toUri().toURL(),
                testClasses.toUri().toURL()}, ClassLoader.getPlatformClassLoader()));
    }

    public ClassLoader loader() {
        return loader;
    }

    @Override
    public void close() throws IOException {
        loader.close();
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
