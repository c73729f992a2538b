package dev.weft.cni;

/** The CNI error JSON the plugin prints itself when it cannot reach weftd (it knows no config version). */
final class PluginErrors {
    private PluginErrors() {}

    static String json(int code, String msg, String details) {
        return "{\"cniVersion\":\"1.1.0\",\"code\":" + code + ",\"msg\":\"" + escape(msg) + "\",\"details\":\""
                + escape(details) + "\"}";
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                String hex = Integer.toHexString(c);
                b.append("\\u00").append(hex.length() == 1 ? "0" : "").append(hex);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
