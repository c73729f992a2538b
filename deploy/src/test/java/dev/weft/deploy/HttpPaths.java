package dev.weft.deploy;

import dev.weft.daemon.http.HttpEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Whether weftd's own HTTP endpoint answers a path with 200 while healthy and ready: asks a real
 * {@link HttpEndpoint} on 127.0.0.1 and an ephemeral port, so a probe path that drifts from the code fails.
 */
final class HttpPaths {
    private HttpPaths() {}

    static boolean served(String path) {
        if (!path.startsWith("/")) {
            return false;
        }
        try (HttpEndpoint http = HttpEndpoint.start(new InetSocketAddress("127.0.0.1", 0), () -> "", () -> true,
                () -> null)) {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + http.address().getPort() + path)
                    .toURL().openConnection();
            c.setConnectTimeout(10_000);
            c.setReadTimeout(10_000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
