package dev.weft.gossip;

import java.nio.file.Path;
import java.time.Duration;

/** How peers prove to each other that they belong to the cluster. */
public sealed interface Credentials {

    /**
     * Mutual TLS under the cluster's CA: the CA's certificate and private key come as PEM files (in
     * Kubernetes, one Secret), and at start each peer issues itself a leaf certificate valid for
     * {@code leafLifetime}. Make a new CA with {@code dev.weft.gossip.tls.NewClusterCa}.
     */
    record MutualTls(Path caCert, Path caKey, Duration leafLifetime) implements Credentials {
        public MutualTls {
            if (caCert == null || caKey == null) {
                throw new IllegalArgumentException("mutual TLS needs the cluster CA's certificate and key files");
            }
            if (leafLifetime == null || leafLifetime.isNegative() || leafLifetime.isZero()) {
                throw new IllegalArgumentException("the leaf certificate lifetime must be positive, got " + leafLifetime);
            }
        }

        public MutualTls(Path caCert, Path caKey) {
            this(caCert, caKey, Duration.ofDays(7));
        }
    }

    /**
     * No authentication and no encryption: anyone who reaches the port can join and read the ring. Only for
     * tests and throw-away clusters; the transport logs a loud warning and reports {@code plaintext} = 1.
     */
    record Plaintext() implements Credentials {}
}
