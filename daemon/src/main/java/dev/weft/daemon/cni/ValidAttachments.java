package dev.weft.daemon.cni;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The list GC (CNI 1.1) keeps: {@code cni.dev/valid-attachments}, or {@code cni.dev/attachments} as the
 * spec-v1.1.0 text names it (libcni sends both). Absent means "no list given", never "nothing is valid".
 */
final class ValidAttachments {
    static final String KEY = "cni.dev/valid-attachments";
    static final String SPEC_KEY = "cni.dev/attachments";

    /** One entry: container id and interface name, as the runtime knows them. */
    record Pair(String containerId, String ifname) {}

    private ValidAttachments() {}

    /** @return the pairs, or null when neither key is present */
    static Set<Pair> parse(JsonNode root) throws CniError {
        JsonNode list = root.get(KEY);
        String where = KEY;
        if (list == null || list.isNull()) {
            list = root.get(SPEC_KEY);
            where = SPEC_KEY;
        }
        if (list == null || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw NetConf.invalid(where + " must be an array", "write it like [{\"containerID\": \"..\", \"ifname\": \"eth0\"}]");
        }
        Set<Pair> pairs = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String at = where + "[" + i + "]";
            if (!e.isObject()) {
                throw NetConf.invalid(at + " must be an object", "each entry has containerID and ifname");
            }
            pairs.add(new Pair(field(e, "containerID", at), field(e, "ifname", at)));
        }
        return pairs;
    }

    private static String field(JsonNode entry, String name, String at) throws CniError {
        JsonNode v = entry.get(name);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw NetConf.invalid(at + "." + name + " is missing or not a string", "each entry has containerID and ifname");
        }
        return v.asText();
    }
}
