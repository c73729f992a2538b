package dev.weft.gossip.tls;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The operator's one command for a new cluster CA:
 * {@code java -cp <peer-gossip and its dependencies> dev.weft.gossip.tls.NewClusterCa <folder> [years]} writes
 * {@code ca.crt} and {@code ca.key} (owner-only) into the folder; in Kubernetes, put both in one Secret
 * ({@code kubectl create secret generic weft-ca --from-file=ca.crt --from-file=ca.key}).
 */
public final class NewClusterCa {
    private NewClusterCa() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command without the exit, so it can be tested: 0 done, 1 refused, 2 bad usage. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 1 || args.length > 2) {
            err.println("usage: NewClusterCa <folder> [years, default 10]");
            return 2;
        }
        int years;
        try {
            years = args.length == 2 ? Integer.parseInt(args[1]) : 10;
        } catch (NumberFormatException e) {
            years = -1;
        }
        if (years < 1 || years > 100) {
            err.println("'" + args[1] + "' is not a number of years from 1 to 100");
            return 2;
        }
        Path dir = Path.of(args[0]);
        Path crt = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        if (Files.exists(crt) || Files.exists(key)) {
            err.println(crt + " or " + key + " already exists: move them aside first (a new CA cuts every peer still"
                    + " using the old one off the cluster)");
            return 1;
        }
        try {
            Files.createDirectories(dir);
            ClusterCa.create("weft cluster CA", Duration.ofDays(365L * years)).write(crt, key);
        } catch (Exception e) {
            err.println("could not write the CA into " + dir + ": " + e.getMessage());
            return 1;
        }
        out.println("wrote " + crt + " and " + key + " (keep the key secret: whoever holds it can join the cluster)");
        return 0;
    }
}
