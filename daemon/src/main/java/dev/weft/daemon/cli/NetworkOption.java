package dev.weft.daemon.cli;

import picocli.CommandLine.Option;

/**
 * {@code --network}: which CNI network an attachment is on. One daemon may serve several conflists that
 * name weft, and a container's interface on one of them is a different attachment from the same interface
 * on another; without the flag a command speaks of weft's default network ({@code weft}).
 */
final class NetworkOption {
    @Option(names = "--network", paramLabel = "NAME", description = "the CNI network (the conflist's name;"
            + " default: weft's own, 'weft')")
    String network = "";

    /** The name as the API takes it: empty means the default network. */
    String wire() {
        return network;
    }

    /** The name a listing shows. */
    static String shown(String wire) {
        return wire.isEmpty() ? "weft" : wire;
    }
}
