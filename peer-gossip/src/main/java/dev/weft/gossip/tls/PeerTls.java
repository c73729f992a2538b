package dev.weft.gossip.tls;

import dev.weft.core.peer.PeerId;
import dev.weft.gossip.Counters;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.HostPort;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport's TLS: the cluster CA loaded, this peer's leaf issued and reissued at half its lifetime, and
 * the server and client contexts built on it; or, for explicit plaintext, nothing but a loud warning.
 */
public final class PeerTls {
    private static final Logger LOG = LoggerFactory.getLogger(PeerTls.class);

    private final SslContext server;
    private final SslContext client;

    private PeerTls(SslContext server, SslContext client) {
        this.server = server;
        this.client = client;
    }

    /** Null contexts mean plaintext. */
    public SslContext server() {
        return server;
    }

    public SslContext client() {
        return client;
    }

    public static PeerTls start(PeerId self, Credentials credentials, HostPort listen, HostPort advertise, Counters counters,
            ScheduledExecutorService scheduler) throws IOException {
        if (credentials instanceof Credentials.Plaintext) {
            counters.set("plaintext", 1);
            LOG.warn("!!! PLAINTEXT PEER LINKS: peer {} neither authenticates peers nor encrypts the ring. Anyone who"
                    + " can reach its port can join the cluster and hand out its addresses. Use only for tests;"
                    + " give the cluster CA's files for mutual TLS instead !!!", self);
            return new PeerTls(null, null);
        }
        Credentials.MutualTls tls = (Credentials.MutualTls) credentials;
        ClusterCa ca = ClusterCa.load(tls.caCert(), tls.caKey());
        List<String> hosts = new ArrayList<>();
        if (advertise != null) {
            hosts.add(advertise.host());
        }
        hosts.add(listen.host());
        CurrentLeaf identity;
        PeerTls result;
        try {
            identity = new CurrentLeaf(issue(ca, self, hosts, tls));
            result = new PeerTls(TlsContexts.server(identity, counters), TlsContexts.client(identity, counters));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue this peer's certificate from the cluster CA in " + tls.caCert() + ": "
                    + e.getMessage(), e);
        }
        // A fresh leaf at half its lifetime, so a long-running peer never presents an expired one.
        long half = Math.max(1_000, tls.leafLifetime().toMillis() / 2);
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                identity.replace(issue(ca, self, hosts, tls));
                counters.inc("tls.leaf_reissued");
            } catch (GeneralSecurityException e) {
                LOG.error("could not reissue this peer's certificate; the current one expires at {}: {}",
                        identity.leaf().certificate().getNotAfter(), e.getMessage());
            }
        }, half, half, TimeUnit.MILLISECONDS);
        return result;
    }

    private static Leaf issue(ClusterCa ca, PeerId self, List<String> hosts, Credentials.MutualTls tls)
            throws GeneralSecurityException {
        Instant now = Instant.now();
        return Leaf.issue(ca, self.name(), hosts, now.minusSeconds(300), now.plus(tls.leafLifetime()));
    }
}
