package dev.weft.gossip.tls;

import dev.weft.gossip.Counters;
import dev.weft.gossip.wire.Reject;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's own certificate checks against the cluster CA, plus a log line and a counted reject when they
 * fail: grpc-netty reports a failed handshake only at FINE, and an operator whose peer is turned away must
 * see why on both sides.
 */
final class LoggingTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingTrustManager.class);

    private final X509ExtendedTrustManager jdk;
    private final Counters counters;

    LoggingTrustManager(X509Certificate ca, Counters counters) throws GeneralSecurityException {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            ks.setCertificateEntry("weft-cluster-ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(ks);
            X509ExtendedTrustManager found = null;
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    found = x;
                }
            }
            if (found == null) {
                throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
            }
            this.jdk = found;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        this.counters = counters;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            jdk.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            refused("a peer dialling in", chain, e);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            jdk.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            refused("the peer at " + (engine == null ? "?" : engine.getPeerHost() + ":" + engine.getPeerPort()), chain, e);
            throw e;
        }
    }

    private void refused(String who, X509Certificate[] chain, CertificateException e) {
        counters.inc(Reject.UNAUTHENTICATED.counter());
        String subject = chain == null || chain.length == 0 ? "no certificate" : chain[0].getSubjectX500Principal().getName();
        LOG.warn("refused TLS link with {} ({}): {}. Every peer needs a current certificate issued by this cluster's CA",
                who, subject, e.getMessage());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        jdk.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        jdk.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jdk.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jdk.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return jdk.getAcceptedIssuers();
    }
}
