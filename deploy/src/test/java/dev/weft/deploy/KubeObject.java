package dev.weft.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One object from a manifest file, as a JSON tree so rules can walk it with JSON pointers.
 *
 * @param file the manifest it came from, for messages
 */
record KubeObject(String file, JsonNode node) {

    String kind() {
        return node.path("kind").asText("");
    }

    String apiVersion() {
        return node.path("apiVersion").asText("");
    }

    String name() {
        return node.at("/metadata/name").asText("");
    }

    String namespace() {
        return node.at("/metadata/namespace").asText("");
    }

    /** "Kind/name (file)": how a problem names the object. */
    String label() {
        return kind() + "/" + name() + " (" + file + ")";
    }
}
