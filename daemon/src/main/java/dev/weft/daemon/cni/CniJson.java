package dev.weft.daemon.cni;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.core.address.IPv4;
import java.io.IOException;
import java.util.List;

/** Stdin in, CNI result and error JSON out. The one place that knows the JSON shapes of the spec. */
final class CniJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Duplicate keys and trailing bytes are refused: a config that says two things is not guessed at. */
    private static final ObjectReader READER = MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private CniJson() {}

    /** Decodes stdin to a JSON object; code 6 naming stdin otherwise. */
    static JsonNode decode(byte[] stdin) throws CniError {
        if (stdin.length > Frame.MAX_STDIN) {
            throw new CniError(CniError.DECODE_FAILURE, "stdin is over " + Frame.MAX_STDIN + " bytes",
                    "a network config is a few kilobytes: check what the runtime passes on stdin");
        }
        if (stdin.length == 0) {
            throw new CniError(CniError.DECODE_FAILURE, "stdin is empty", "pass the network config as JSON on stdin");
        }
        JsonNode root;
        try {
            root = READER.readTree(stdin);
        } catch (JsonProcessingException e) {
            throw new CniError(CniError.DECODE_FAILURE, "stdin is not valid JSON: " + e.getOriginalMessage(),
                    "pass the network config as one JSON object on stdin");
        } catch (IOException e) {
            throw new CniError(CniError.DECODE_FAILURE, "stdin could not be read as JSON: " + e.getMessage(),
                    "pass the network config as one JSON object on stdin");
        }
        if (root == null || !root.isObject()) {
            throw new CniError(CniError.DECODE_FAILURE, "stdin is not a JSON object",
                    "pass the network config as one JSON object on stdin");
        }
        return root;
    }

    /** The result of ADD, shaped for {@code version}. */
    static String result(NetConf conf, long address, int prefix, long gateway) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("cniVersion", conf.cniVersion());
        ObjectNode ip = r.putArray("ips").addObject();
        if (CniVersions.ipsCarryVersion(conf.cniVersion())) {
            ip.put("version", "4");
        }
        ip.put("address", IPv4.format(address) + "/" + prefix);
        ip.put("gateway", IPv4.format(gateway));
        ArrayNode routes = r.putArray("routes");
        for (Route route : conf.routes()) {
            ObjectNode o = routes.addObject();
            o.put("dst", route.dst().toString());
            if (route.gw() != null) {
                o.put("gw", route.gw());
            }
            if (CniVersions.isAtLeast11(conf.cniVersion())) {
                route.extra().forEach(o::put);
            }
        }
        r.set("dns", conf.dns() != null ? conf.dns().deepCopy() : MAPPER.createObjectNode());
        return r.toString();
    }

    static String error(String version, CniError e) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("cniVersion", version);
        r.put("code", e.code());
        r.put("msg", e.getMessage());
        r.put("details", e.details());
        return r.toString();
    }

    static String versionInfo() {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("cniVersion", CniVersions.LATEST);
        ArrayNode v = r.putArray("supportedVersions");
        List.copyOf(CniVersions.SUPPORTED).forEach(v::add);
        return r.toString();
    }
}
