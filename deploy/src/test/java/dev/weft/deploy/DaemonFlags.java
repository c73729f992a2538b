package dev.weft.deploy;

import dev.weft.daemon.Weftd;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * weftd's command line as the daemon itself declares it (its picocli spec): which flags exist, which
 * environment variable stands for each, and what a manifest's argument list means to weftd.
 */
final class DaemonFlags {
    /**
     * Flags (and their variables) that other branches of this session add to weftd: {@code kube}
     * (--kubernetes, --kube-namespace, --founding-configmap, --reclaim-lease), {@code routes} (--host-routes,
     * --bridge) and {@code succd} (--unique-names, --cni-results-dir). Tolerated while weftd lacks them; once
     * weftd has one, {@link ManifestTest} fails until it is taken off this list, so the list cannot outlive
     * the merge and hide a renamed flag.
     */
    static final Set<String> PENDING = Set.of();
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");

    private final CommandSpec spec = new CommandLine(new Weftd()).getCommandSpec();

    boolean has(String flag) {
        return spec.findOption(flag) != null;
    }

    /**
     * The environment variables weftd reads, from each option's {@code ${env:NAME}} default as written in
     * {@link Weftd}'s annotations (the spec holds them already resolved against this JVM's environment).
     */
    Set<String> envNames() {
        Set<String> out = new TreeSet<>();
        for (Field f : Weftd.class.getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null) {
                Matcher m = ENV_DEFAULT.matcher(o.defaultValue());
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /** "0.1.0" from "weftd 0.1.0". */
    String version() {
        String v = spec.version()[0];
        return v.substring(v.lastIndexOf(' ') + 1);
    }

    /**
     * What weftd makes of {@code args}: flag → value ("" for a switch), with problems for anything weftd would
     * refuse (an unknown flag, a missing value). Pending flags are taken as given.
     */
    Parsed parse(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                known.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            String flag = eq < 0 ? a : a.substring(0, eq);
            if (has(flag)) {
                known.add(a);
            } else if (PENDING.contains(flag)) {
                values.put(flag, eq < 0 ? "" : a.substring(eq + 1));
            } else {
                problems.add("weftd has no flag " + flag + " (its flags: " + flagNames() + ")");
            }
        }
        try {
            CommandLine.ParseResult r = new CommandLine(new Weftd()).parseArgs(known.toArray(String[]::new));
            for (OptionSpec o : r.matchedOptions()) {
                Object v = r.matchedOptionValue(o.longestName(), null);
                values.put(o.longestName(), v instanceof Boolean ? "" : String.valueOf(v));
            }
        } catch (ParameterException e) {
            problems.add("weftd refuses its arguments: " + e.getMessage());
        }
        return new Parsed(values, problems);
    }

    private Set<String> flagNames() {
        Set<String> out = new TreeSet<>();
        spec.options().forEach(o -> out.add(o.longestName()));
        return out;
    }

    /** @param values flag → value as given ("" for a switch) */
    record Parsed(Map<String, String> values, List<String> problems) {
        String get(String flag) {
            return values.get(flag);
        }
    }
}
