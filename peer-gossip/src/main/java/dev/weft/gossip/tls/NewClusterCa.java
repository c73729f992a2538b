package dev.weft.gossip.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The operator's one command for a new cluster CA:
 * {@code java -cp peer-gossip.jar:... dev.weft.gossip.tls.NewClusterCa <folder> [years]} writes
 * {@code ca.crt} and {@code ca.key} (owner-only) into the folder; in Kubernetes, put both in one Secret
 * ({@code kubectl create secret generic weft-ca --from-file=ca.crt --from-file=ca.key}).
 */
public final class NewClusterCa {
    private NewClusterCa() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: NewClusterCa <folder> [years, default 10]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int years = args.length == 2 ? Integer.parseInt(args[1]) : 10;
        Path crt = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        if (Files.exists(crt) || Files.exists(key)) {
            System.err.println(crt + " or " + key + " already exists: move them aside first (a new CA cuts every"
                    + " peer still using the old one off the cluster)");
            System.exit(1);
        }
        Files.createDirectories(dir);
        ClusterCa.create("weft cluster CA", Duration.ofDays(365L * years)).write(crt, key);
        System.out.println("wrote " + crt + " and " + key);
    }
}
