package dev.weft.gossip;

/** Where a peer listens or is dialled: a host (name or IP literal) and a TCP port (0 = pick one, to listen). */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isBlank() || host.length() > 253 || host.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or IP address");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not in 0..65535");
        }
    }

    /** Parses {@code host:port} or {@code [v6]:port}; says what is wrong and what is expected otherwise. */
    public static HostPort parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no address given: expected host:port, e.g. 10.0.0.5:6784");
        }
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port (e.g. 10.0.0.5:6784)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric port (expected host:port, e.g. 10.0.0.5:6784)");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
