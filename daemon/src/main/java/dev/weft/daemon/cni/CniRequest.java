package dev.weft.daemon.cni;

import java.util.Map;

/** One plugin call as the plugin forwarded it: its {@code CNI_*} variables and its stdin, unparsed. */
public record CniRequest(Map<String, String> env, byte[] stdin) {
    public CniRequest {
        env = Map.copyOf(env);
    }
}
