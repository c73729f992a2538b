package dev.weft.gossip.wire;

/** Why a frame from another peer was turned away. Each reason is counted ({@code rejects.<name>}). */
public enum Reject {
    /** Larger than the configured frame bound. */
    OVERSIZED,
    /** Not a protobuf frame of ours (bad bytes, truncated, an empty oneof, a missing required part). */
    MALFORMED,
    /** Well-formed protobuf, but a core constructor refused its shape (a bad range, a nameless peer...). */
    BAD_SHAPE,
    /** Belongs to another cluster's ring. */
    WRONG_CLUSTER,
    /** A protocol version outside the window this peer speaks. */
    WRONG_VERSION,
    /** No certificate, or one not issued by this cluster's CA, or one naming another peer than its hello. */
    UNAUTHENTICATED,
    /** Arrived out of order: a core message before the hello, or a second hello. */
    OUT_OF_ORDER;

    public String counter() {
        return "rejects." + name().toLowerCase(java.util.Locale.ROOT);
    }
}
