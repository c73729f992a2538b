package dev.weft.daemon.cni;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.core.address.Cidr;

/**
 * Lets the deploy tests put the shipped CNI config through the daemon's own parser ({@link NetConf} is
 * package-private): an ipam option weftd would refuse at the first pod ADD fails the build instead.
 */
public final class ConflistProbe {
    private ConflistProbe() {}

    /**
     * @param plugin one entry of the conflist's {@code plugins}, as the runtime hands it to the plugin (with the
     *               list's cniVersion and name added)
     * @return null when weftd accepts it, else its complaint and advice
     */
    public static String problem(ObjectNode plugin, Cidr universe) {
        try {
            NetConf.parse(plugin, universe);
            return null;
        } catch (CniError e) {
            return e.getMessage() + " (" + e.details() + ")";
        }
    }
}
