package dev.weft.daemon;

import dev.weft.core.peer.PeerId;
import dev.weft.daemon.config.Settings;
import dev.weft.gossip.Transport;
import java.io.IOException;

/** Makes the peer transport for this install (not yet started: the daemon starts it when the loop runs). */
@FunctionalInterface
public interface TransportFactory {
    Transport open(Settings settings, PeerId self) throws IOException;
}
