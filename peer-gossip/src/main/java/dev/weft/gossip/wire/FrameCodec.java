package dev.weft.gossip.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.gossip.wire.proto.Frame;

/** Frames to bytes and back, with the size bound applied before any parsing. */
public final class FrameCodec {
    private FrameCodec() {}

    public static Frame parse(byte[] bytes, int maxFrameBytes) throws BadFrameException {
        if (bytes.length > maxFrameBytes) {
            throw new BadFrameException(Reject.OVERSIZED, "a frame of " + bytes.length + " bytes, over the bound of "
                    + maxFrameBytes + " (raise the max frame size on every peer if rings really are this large)");
        }
        Frame f;
        try {
            f = Frame.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new BadFrameException(Reject.MALFORMED, "not a weft frame: " + e.getMessage(), e);
        }
        if (f.getKindCase() == Frame.KindCase.KIND_NOT_SET) {
            throw new BadFrameException(Reject.MALFORMED, "a frame of no kind this peer knows");
        }
        return f;
    }
}
