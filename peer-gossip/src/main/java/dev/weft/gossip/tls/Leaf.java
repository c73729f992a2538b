package dev.weft.gossip.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A peer's own certificate, issued by itself with the cluster CA at start: its name as the subject (checked
 * against its hello) and its addresses as subject alternative names (checked by the dialling side).
 */
public record Leaf(X509Certificate certificate, PrivateKey key, X509Certificate ca) {

    public static Leaf issue(ClusterCa ca, String peerName, Collection<String> hosts, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        KeyPair kp = ClusterCa.newKeyPair();
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), ClusterCa.serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + peerName), kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(hosts)));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(ClusterCa.signatureAlgorithm(ca.key())).build(ca.key())));
            return new Leaf(cert, kp.getPrivate(), ca.certificate());
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("could not issue this peer's certificate: " + e.getMessage(), e);
        }
    }

    /** The name a leaf certifies: its subject's common name. */
    public static String peerName(X509Certificate cert) {
        String dn = cert.getSubjectX500Principal().getName();
        for (String part : dn.split(",")) {
            String p = part.trim();
            if (p.startsWith("CN=")) {
                return p.substring(3);
            }
        }
        return "";
    }

    /** The name certified by the other side of a TLS session, or null when it showed no certificate. */
    public static String certifiedName(javax.net.ssl.SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            java.security.cert.Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? peerName(x) : null;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static GeneralName[] names(Collection<String> hosts) {
        Set<String> unique = new LinkedHashSet<>(hosts);
        List<GeneralName> out = new ArrayList<>();
        for (String h : unique) {
            out.add(isIpLiteral(h) ? new GeneralName(GeneralName.iPAddress, h) : new GeneralName(GeneralName.dNSName, h));
        }
        return out.toArray(GeneralName[]::new);
    }

    private static boolean isIpLiteral(String h) {
        if (h.indexOf(':') >= 0) {
            return true;
        }
        if (!h.matches("[0-9.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h) != null;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
