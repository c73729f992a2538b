package dev.weft.daemon.cni;

import dev.weft.core.address.Cidr;
import java.util.Map;

/**
 * A route from {@code ipam.routes}, handed to the main plugin in the result.
 *
 * @param gw the next hop as text, or null
 * @param extra the fields CNI 1.1 added ({@code mtu}, {@code advmss}, {@code priority}, {@code table},
 *              {@code scope}): printed only in 1.1.0 results, since older readers do not know them
 */
public record Route(Cidr dst, String gw, Map<String, Integer> extra) {
    public Route {
        extra = Map.copyOf(extra);
    }
}
