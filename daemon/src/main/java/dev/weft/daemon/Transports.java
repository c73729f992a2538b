package dev.weft.daemon;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.daemon.config.Settings;
import dev.weft.gossip.Bounds;
import dev.weft.gossip.GrpcTransport;
import dev.weft.gossip.LinkConfig;
import dev.weft.gossip.Transport;
import java.util.function.Supplier;

/** The production transport: peer-gossip's gRPC links, configured from the daemon's settings. */
public final class Transports {
    private Transports() {}

    /** @param cluster the cluster identity as of the loop's last tick (null while forming) */
    public static Transport grpc(Settings s, PeerId self, Supplier<ClusterId> cluster) {
        return GrpcTransport.create(new LinkConfig(self, s.listen(), s.advertise(), s.peers(), s.credentials(), cluster,
                Bounds.defaults()));
    }
}
