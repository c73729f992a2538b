package dev.weft.gossip.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * This peer's identity for TLS, replaceable while running: the transport issues a fresh leaf well before the
 * current one expires and swaps it in here, so new handshakes (both ways) use it without rebuilding the
 * server or any channel.
 */
public final class CurrentLeaf extends X509ExtendedKeyManager {
    private static final String ALIAS = "weft-leaf";

    private volatile Leaf leaf;

    public CurrentLeaf(Leaf leaf) {
        this.leaf = leaf;
    }

    public void replace(Leaf next) {
        this.leaf = next;
    }

    public Leaf leaf() {
        return leaf;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? new X509Certificate[] {leaf.certificate()} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? leaf.key() : null;
    }
}
