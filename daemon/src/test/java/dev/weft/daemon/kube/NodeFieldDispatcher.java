package dev.weft.daemon.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRUD mock, plus the one field selector a real API server has that the mock lacks and weftd uses:
 * {@code spec.nodeName=<node>} on pod lists (the mock matches only metadata.name and metadata.namespace,
 * and answers an empty list for any other). Lists are filtered here as the API server would; watches see
 * every pod (weftd only takes a watch event as a hint to list again).
 */
final class NodeFieldDispatcher extends KubernetesCrudDispatcher {
    private static final Pattern SELECTOR = Pattern.compile("([?&])fieldSelector=spec\\.nodeName(?:%3D|=)([^&]*)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public MockResponse handleGet(String path) {
        Matcher m = SELECTOR.matcher(path);
        if (!m.find()) {
            return super.handleGet(path);
        }
        String node = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        MockResponse r = super.handleGet(strip(path, m));
        if (r.code() != 200) {
            return r;
        }
        try {
            JsonNode body = JSON.readTree(r.getBody().readUtf8());
            if (body instanceof ObjectNode list && list.get("items") instanceof ArrayNode items) {
                ArrayNode kept = JSON.createArrayNode();
                for (JsonNode item : items) {
                    if (node.equals(item.path("spec").path("nodeName").asText(null))) {
                        kept.add(item);
                    }
                }
                list.set("items", kept);
                r.setBody(JSON.writeValueAsString(list));
            }
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("the mock's own answer is not JSON", e);
        }
    }

    @Override
    public MockResponse handleWatch(String path) {
        Matcher m = SELECTOR.matcher(path);
        return super.handleWatch(m.find() ? strip(path, m) : path);
    }

    private static String strip(String path, Matcher m) {
        String rest = path.substring(m.end());
        String head = path.substring(0, m.start());
        if (m.group(1).equals("?")) {
            return rest.startsWith("&") ? head + "?" + rest.substring(1) : head + rest;
        }
        return head + rest;
    }
}
