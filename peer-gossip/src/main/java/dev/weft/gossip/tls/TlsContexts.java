package dev.weft.gossip.tls;

import dev.weft.gossip.Counters;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * Server and client TLS for peer links: TLS 1.3 on the JDK provider (no native code), this peer's leaf as
 * its identity both ways, the cluster CA as the only trust anchor.
 *
 * <p>The server asks for a client certificate without requiring it at the TLS layer ({@link ClientAuth#OPTIONAL}):
 * a bad certificate still fails the handshake (and is logged by {@link LoggingTrustManager}), while a peer
 * that sends none gets through TLS only to be refused, with a logged reason and an UNAUTHENTICATED status,
 * before its first frame is read ({@code dev.weft.gossip.link.RequireClientCertificate}). With REQUIRE the
 * JDK would fail that handshake before any hook of ours runs, and the refusal would go unlogged.
 */
public final class TlsContexts {
    private TlsContexts() {}

    public static SslContext server(CurrentLeaf identity, Counters counters) throws SSLException, GeneralSecurityException {
        return GrpcSslContexts.configure(SslContextBuilder.forServer(identity), SslProvider.JDK)
                .trustManager(new LoggingTrustManager(identity.leaf().ca(), counters))
                .clientAuth(ClientAuth.OPTIONAL)
                .protocols("TLSv1.3")
                .build();
    }

    public static SslContext client(CurrentLeaf identity, Counters counters) throws SSLException, GeneralSecurityException {
        return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                .trustManager(new LoggingTrustManager(identity.leaf().ca(), counters))
                .keyManager(identity)
                .protocols("TLSv1.3")
                .build();
    }

    /** A client that shows no certificate at all (for tests of what such a caller gets). */
    public static SslContext anonymousClient(X509Certificate ca, Counters counters)
            throws SSLException, GeneralSecurityException {
        return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                .trustManager(new LoggingTrustManager(ca, counters))
                .protocols("TLSv1.3")
                .build();
    }
}
