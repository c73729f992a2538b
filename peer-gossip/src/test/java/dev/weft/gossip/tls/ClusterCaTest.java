package dev.weft.gossip.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {

    @Test
    void theCommandWritesACaThatLoadsAndIssuesLeavesAndRefusesToOverwrite(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path folder = dir.resolve("ca");
        assertThat(NewClusterCa.run(new String[] {folder.toString()}, new PrintStream(out), new PrintStream(err))).isZero();
        assertThat(Files.getPosixFilePermissions(folder.resolve("ca.key"))).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        ClusterCa ca = ClusterCa.load(folder.resolve("ca.crt"), folder.resolve("ca.key"));
        Leaf leaf = Leaf.issue(ca, "node-1", List.of("10.0.0.1", "node-1.example"), Instant.now(), Instant.now().plusSeconds(60));
        leaf.certificate().verify(ca.certificate().getPublicKey());
        assertThat(Leaf.peerName(leaf.certificate())).isEqualTo("node-1");
        assertThat(leaf.certificate().getSubjectAlternativeNames()).hasSize(2);

        assertThat(NewClusterCa.run(new String[] {folder.toString()}, new PrintStream(out), new PrintStream(err))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("already exists");
        assertThat(NewClusterCa.run(new String[] {}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
        assertThat(NewClusterCa.run(new String[] {dir.resolve("x").toString(), "ever"}, new PrintStream(out),
                new PrintStream(err))).isEqualTo(2);
    }

    @Test
    void anRsaCaInTheTraditionalOpensslFormatWorksToo(@TempDir Path dir) throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.KeyPair kp = g.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=openssl-made CA");
        var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.ONE,
                java.util.Date.from(Instant.now().minusSeconds(60)), java.util.Date.from(Instant.now().plusSeconds(3600)),
                name, kp.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                new org.bouncycastle.asn1.x509.BasicConstraints(0));
        var cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(builder.build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
        Path crt = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(Files.newBufferedWriter(crt))) {
            w.writeObject(cert);
        }
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(Files.newBufferedWriter(key))) {
            w.writeObject(kp.getPrivate()); // "BEGIN RSA PRIVATE KEY", as openssl genrsa writes it
        }
        assertThat(Files.readString(key)).contains("BEGIN RSA PRIVATE KEY");
        ClusterCa ca = ClusterCa.load(crt, key);
        Leaf leaf = Leaf.issue(ca, "node-2", List.of("127.0.0.1"), Instant.now(), Instant.now().plusSeconds(60));
        leaf.certificate().verify(cert.getPublicKey());
    }

    @Test
    void badCaFilesAreRefusedWithWhatToDo(@TempDir Path dir) throws Exception {
        ClusterCa ca = ClusterCa.create("test", Duration.ofDays(1));
        Path crt = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        ca.write(crt, key);

        assertThatThrownBy(() -> ClusterCa.load(dir.resolve("missing.crt"), key)).isInstanceOf(IOException.class)
                .hasMessageContaining("missing.crt").hasMessageContaining("NewClusterCa");
        Path garbage = Files.writeString(dir.resolve("garbage"), "not a pem file\n");
        assertThatThrownBy(() -> ClusterCa.load(garbage, key)).isInstanceOf(IOException.class)
                .hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> ClusterCa.load(crt, crt)).isInstanceOf(IOException.class)
                .hasMessageContaining("no unencrypted PEM private key");

        Path otherCrt = dir.resolve("other.crt");
        Path otherKey = dir.resolve("other.key");
        ClusterCa.create("other", Duration.ofDays(1)).write(otherCrt, otherKey);
        assertThatThrownBy(() -> ClusterCa.load(crt, otherKey)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not the key of the certificate");
    }
}
