package dev.weft.gossip.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The cluster's certificate authority: whoever holds its key belongs to the cluster. Peers never hold it
 * in anything but memory; they use it once at start to issue their own short-lived leaf.
 */
public record ClusterCa(X509Certificate certificate, PrivateKey key) {

    /** Makes a new CA (EC P-256), valid for {@code lifetime}. */
    public static ClusterCa create(String name, Duration lifetime) throws GeneralSecurityException {
        KeyPair kp = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(lifetime)), subject, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509CertificateHolder h = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            return new ClusterCa(new JcaX509CertificateConverter().getCertificate(h), kp.getPrivate());
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("could not make the cluster CA: " + e.getMessage(), e);
        }
    }

    /** Reads the CA's PEM certificate and key; errors say which file is wrong and how to make a new pair. */
    public static ClusterCa load(Path certFile, Path keyFile) throws IOException {
        for (Path f : new Path[] {certFile, keyFile}) {
            if (!Files.isReadable(f)) {
                throw new IOException("cannot read " + f + ": give the cluster CA's certificate and key files (make a"
                        + " new pair with dev.weft.gossip.tls.NewClusterCa, and give every peer the same pair)");
            }
        }
        X509Certificate cert;
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(certFile); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder h)) {
                throw new IOException(certFile + " holds no PEM certificate: point it at the cluster CA's certificate"
                        + " (make a new CA with dev.weft.gossip.tls.NewClusterCa)");
            }
            cert = new JcaX509CertificateConverter().getCertificate(h);
        } catch (GeneralSecurityException e) {
            throw new IOException(certFile + " is not a usable certificate: " + e.getMessage(), e);
        }
        try (Reader r = Files.newBufferedReader(keyFile); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                key = conv.getPrivateKey(kp.getPrivateKeyInfo());
            } else if (o instanceof PrivateKeyInfo info) {
                key = conv.getPrivateKey(info);
            } else {
                throw new IOException(keyFile + " holds no unencrypted PEM private key: point it at the cluster CA's key");
            }
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw new IOException(keyFile + " is not a usable private key: " + e.getMessage(), e);
        }
        if (!matches(cert, key)) {
            throw new IOException(keyFile + " is not the key of the certificate in " + certFile
                    + ": give the pair NewClusterCa wrote together");
        }
        try {
            cert.checkValidity();
        } catch (GeneralSecurityException e) {
            throw new IOException("the cluster CA in " + certFile + " is not valid now (" + e.getMessage()
                    + "): make a new CA and roll it out to every peer", e);
        }
        return new ClusterCa(cert, key);
    }

    /** Writes the certificate and key as PEM; the key file is readable by its owner only. */
    public void write(Path certFile, Path keyFile) throws IOException {
        try (Writer w = Files.newBufferedWriter(certFile); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(certificate);
        }
        Files.deleteIfExists(keyFile);
        try {
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(keyFile);
        }
        try (Writer w = Files.newBufferedWriter(keyFile); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            // PKCS#8 ("PRIVATE KEY"), which openssl, Go and the JDK all read.
            pw.writeObject(new JcaPKCS8Generator(key, null));
        }
    }

    /** True when {@code key} signs what {@code cert}'s public key verifies. */
    private static boolean matches(X509Certificate cert, PrivateKey key) {
        try {
            java.security.Signature sign = java.security.Signature.getInstance(signatureAlgorithm(key));
            sign.initSign(key);
            sign.update(new byte[] {1, 2, 3});
            byte[] sig = sign.sign();
            java.security.Signature verify = java.security.Signature.getInstance(signatureAlgorithm(key));
            verify.initVerify(cert.getPublicKey());
            verify.update(new byte[] {1, 2, 3});
            return verify.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** How a CA key signs: CAs made by NewClusterCa are EC; one made with openssl may well be RSA. */
    static String signatureAlgorithm(PrivateKey key) {
        return "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static BigInteger serial() {
        return new BigInteger(127, new SecureRandom());
    }
}
