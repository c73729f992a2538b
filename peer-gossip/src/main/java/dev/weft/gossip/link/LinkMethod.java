package dev.weft.gossip.link;

import dev.weft.gossip.wire.proto.PeerLinkGrpc;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The one gRPC method peers speak ({@code weft.wire.PeerLink/Link}, as the .proto declares), carried as raw
 * bytes rather than through gRPC's protobuf marshaller: parsing then happens in {@code FrameCodec}, where a
 * bad frame is counted and dropped instead of killing the stream, so one malformed frame never drops a link.
 */
public final class LinkMethod {
    private LinkMethod() {}

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    public static final MethodDescriptor<byte[], byte[]> LINK = PeerLinkGrpc.getLinkMethod().toBuilder(BYTES, BYTES).build();
}
