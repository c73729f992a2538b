package dev.weft.gossip;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import java.util.List;
import java.util.function.Supplier;

/**
 * Everything a {@link GrpcTransport} needs.
 *
 * @param self this install
 * @param listen where to listen; port 0 picks a free port ({@link GrpcTransport#port()} tells which)
 * @param advertise how other peers should dial this one; null = the listen host and the bound port
 * @param seeds peers to dial at start; more are learned from them
 * @param credentials mutual TLS under the cluster CA, or explicit plaintext
 * @param cluster the current cluster identity (null while the ring is forming), read on every handshake
 * @param bounds frame size, pool size, idle timeout, back-off
 */
public record LinkConfig(PeerId self, HostPort listen, HostPort advertise, List<HostPort> seeds,
        Credentials credentials, Supplier<ClusterId> cluster, Bounds bounds) {

    public LinkConfig {
        if (self == null || listen == null || credentials == null || cluster == null || bounds == null) {
            throw new IllegalArgumentException("a link config needs self, listen address, credentials, cluster"
                    + " supplier and bounds");
        }
        if (advertise != null && advertise.port() == 0) {
            throw new IllegalArgumentException("advertised address " + advertise + " needs a real port, not 0");
        }
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
    }
}
