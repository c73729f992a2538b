package dev.weft.daemon.api;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.api.v1.Hold;

/** Conversions between the API's messages and the core's values; bad text is an IllegalArgumentException. */
final class Wire {
    private Wire() {}

    static dev.weft.core.space.Attachment attachment(Attachment a, String what) {
        if (a == null || a.getContainerId().isEmpty() || a.getIfname().isEmpty()) {
            throw new IllegalArgumentException(what + " needs an attachment with container_id and ifname");
        }
        return new dev.weft.core.space.Attachment(a.getContainerId(), a.getIfname(), network(a.getNetwork()));
    }

    static Attachment attachment(dev.weft.core.space.Attachment a) {
        return Attachment.newBuilder().setContainerId(a.containerId()).setIfname(a.ifname()).setNetwork(a.network())
                .build();
    }

    /** A CNI network name, the default one when empty; anything CNI would refuse is an IllegalArgumentException. */
    static String network(String text) {
        return text.isEmpty() ? dev.weft.core.space.Attachment.DEFAULT_NETWORK
                : dev.weft.core.space.Attachment.checkNetwork(text);
    }

    static Hold hold(dev.weft.core.space.Hold h) {
        return Hold.newBuilder().setAttachment(attachment(h.attachment())).setAddress(IPv4.format(h.address())).build();
    }

    /** An optional CIDR: null when the text is empty. */
    static Cidr cidr(String text) {
        return text == null || text.isEmpty() ? null : Cidr.parse(text);
    }

    /** An address or a range end, which may be one past the last IPv4 address. */
    static String address(long a) {
        return a >= IPv4.SIZE ? "255.255.255.255+1" : IPv4.format(a);
    }
}
