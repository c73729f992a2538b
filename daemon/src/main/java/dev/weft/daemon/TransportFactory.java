package dev.weft.daemon;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.daemon.config.Settings;
import dev.weft.gossip.Transport;
import java.io.IOException;
import java.util.function.Supplier;

/** Makes the peer transport for this install (not yet started: the daemon starts it when the loop runs). */
@FunctionalInterface
public interface TransportFactory {
    /** @param cluster the cluster identity as the core last knew it (null while the ring forms), any thread */
    Transport open(Settings settings, PeerId self, Supplier<ClusterId> cluster) throws IOException;
}
