package dev.weft.core.node;

import dev.weft.core.peer.PeerId;

/** A message and the peer it goes to. */
public record Envelope(PeerId to, Message message) {}
