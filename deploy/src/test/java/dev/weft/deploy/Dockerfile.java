package dev.weft.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of deploy/Dockerfile the tests compare with the manifests and the build: its stages, what each
 * COPY takes from where, the ENV values and the RUN lines. Only the instruction forms the file uses.
 */
record Dockerfile(List<Stage> stages) {
    private static final Pattern ENV = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

    /** @param alias the stage's AS name, or "" */
    record Stage(String image, String alias, String workdir, List<Copy> copies, Map<String, String> env,
            List<String> runs) {}

    /** @param from the stage it copies from, or "" for the build context */
    record Copy(String from, String source, String destination) {}

    static Dockerfile parse(String text) {
        List<Stage> stages = new ArrayList<>();
        String image = null;
        String alias = "";
        String workdir = "/";
        List<Copy> copies = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> runs = new ArrayList<>();
        for (String line : instructions(text)) {
            String[] w = line.split("\\s+", 2);
            String op = w[0].toUpperCase(java.util.Locale.ROOT);
            String rest = w.length > 1 ? w[1].trim() : "";
            switch (op) {
                case "FROM" -> {
                    if (image != null) {
                        stages.add(new Stage(image, alias, workdir, copies, env, runs));
                    }
                    String[] f = rest.split("\\s+");
                    image = f[0];
                    alias = f.length == 3 && f[1].equalsIgnoreCase("AS") ? f[2] : "";
                    workdir = "/";
                    copies = new ArrayList<>();
                    env = new LinkedHashMap<>();
                    runs = new ArrayList<>();
                }
                case "WORKDIR" -> workdir = rest;
                case "COPY" -> {
                    String from = "";
                    List<String> parts = new ArrayList<>(List.of(rest.split("\\s+")));
                    while (!parts.isEmpty() && parts.get(0).startsWith("--")) {
                        String opt = parts.remove(0);
                        if (opt.startsWith("--from=")) {
                            from = opt.substring(7);
                        }
                    }
                    String dest = parts.remove(parts.size() - 1);
                    for (String src : parts) {
                        copies.add(new Copy(from, src, dest));
                    }
                }
                case "ENV" -> {
                    Matcher m = ENV.matcher(rest);
                    while (m.find()) {
                        String v = m.group(2);
                        env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
                    }
                }
                case "RUN" -> runs.add(rest);
                default -> {
                    // ENTRYPOINT and the rest: not compared
                }
            }
        }
        if (image != null) {
            stages.add(new Stage(image, alias, workdir, copies, env, runs));
        }
        return new Dockerfile(stages);
    }

    /** Lines joined across trailing backslashes, without comments and blank lines. */
    private static List<String> instructions(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && cur.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            cur.append(line);
            out.add(cur.toString().strip());
            cur.setLength(0);
        }
        return out;
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String alias) {
        return stages.stream().filter(s -> s.alias().equals(alias)).findFirst().orElse(null);
    }
}
