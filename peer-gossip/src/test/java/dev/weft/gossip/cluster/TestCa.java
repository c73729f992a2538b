package dev.weft.gossip.cluster;

import dev.weft.gossip.Credentials;
import dev.weft.gossip.tls.ClusterCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A cluster CA written to a folder, as an operator's NewClusterCa run would leave it. */
record TestCa(ClusterCa ca, Path cert, Path key) {

    static TestCa in(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        ClusterCa ca = ClusterCa.create(name, Duration.ofDays(1));
        Path cert = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        ca.write(cert, key);
        return new TestCa(ca, cert, key);
    }

    Credentials credentials() {
        return new Credentials.MutualTls(cert, key, Duration.ofHours(1));
    }
}
