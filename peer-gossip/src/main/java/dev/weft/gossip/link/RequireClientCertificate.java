package dev.weft.gossip.link;

import dev.weft.gossip.Counters;
import dev.weft.gossip.tls.Leaf;
import dev.weft.gossip.wire.Reject;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns away, before its first frame is read, a caller that completed TLS without a certificate (the TLS
 * layer itself already refused any certificate the cluster CA did not issue). Passes the certified peer
 * name on to the link, which checks it against the hello.
 */
public final class RequireClientCertificate implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RequireClientCertificate.class);
    static final Context.Key<String> CERTIFIED_NAME = Context.key("weft-certified-name");

    private final Counters counters;

    /** The certified name of the caller whose call is being started on this thread, or null. */
    public static String certifiedName() {
        return CERTIFIED_NAME.get();
    }

    public RequireClientCertificate(Counters counters) {
        this.counters = counters;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        Object remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String name = Leaf.certifiedName(session);
        if (name == null || name.isEmpty()) {
            counters.inc(Reject.UNAUTHENTICATED.counter());
            LOG.warn("refused link from {}: it presented no client certificate; every peer needs a certificate"
                    + " issued by this cluster's CA", remote);
            call.close(Status.UNAUTHENTICATED.withDescription("this cluster requires a client certificate issued by"
                    + " its CA"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(CERTIFIED_NAME, name), call, headers, next);
    }
}
