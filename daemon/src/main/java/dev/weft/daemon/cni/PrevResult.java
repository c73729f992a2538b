package dev.weft.daemon.cni;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The addresses in {@code prevResult} (CHECK): what the runtime believes the attachment holds. */
final class PrevResult {
    private PrevResult() {}

    static List<Long> addresses(JsonNode root) throws CniError {
        JsonNode prev = root.get("prevResult");
        if (prev == null || prev.isNull()) {
            throw NetConf.invalid("prevResult is missing", "CHECK needs the result of ADD as prevResult");
        }
        if (!prev.isObject()) {
            throw NetConf.invalid("prevResult must be an object", "got " + CniEnv.printable(prev.toString()));
        }
        JsonNode ips = prev.get("ips");
        if (ips == null || !ips.isArray() || ips.isEmpty()) {
            throw NetConf.invalid("prevResult.ips is missing or empty", "CHECK needs the addresses ADD gave");
        }
        List<Long> addresses = new ArrayList<>();
        for (int i = 0; i < ips.size(); i++) {
            JsonNode a = ips.get(i).get("address");
            String where = "prevResult.ips[" + i + "].address";
            if (a == null || !a.isTextual()) {
                throw NetConf.invalid(where + " is missing or not a string", "write it like \"10.32.0.5/12\"");
            }
            addresses.add(RequestedAddress.parse(a.asText(), where, CniError.INVALID_CONFIG));
        }
        return addresses;
    }
}
