package dev.weft.daemon.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds plugin calls for tests: variables plus a network config. */
final class Calls {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Calls() {}

    static Map<String, String> env(String command, String containerId, String ifname) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", "/var/run/netns/" + containerId);
        env.put("CNI_IFNAME", ifname);
        env.put("CNI_PATH", "/opt/cni/bin");
        return env;
    }

    /** A config of {@code version} for network {@code name}, with {@code ipamExtra} spliced into ipam. */
    static String conf(String version, String name, String ipamExtra) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"" + name + "\",\"type\":\"bridge\","
                + "\"ipam\":{\"type\":\"weft-ipam\"" + (ipamExtra.isEmpty() ? "" : "," + ipamExtra) + "}}";
    }

    static CniRequest request(Map<String, String> env, String stdin) {
        return new CniRequest(env, stdin.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }
}
