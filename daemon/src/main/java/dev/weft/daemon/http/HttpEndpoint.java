package dev.weft.daemon.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain HTTP for Prometheus, the kubelet and people: {@code /metrics} (text exposition), {@code /healthz} (the
 * event loop is alive), {@code /readyz} (the store is open and the ring formed), and pages added with
 * {@link #page} (the ring picture). One small thread: a scrape, a probe or a page is cheap and rare.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
    private final HttpServer server;
    private final ExecutorService thread;

    private HttpEndpoint(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /**
     * @param metrics the scrape text, in Prometheus' text format
     * @param healthy whether the daemon is alive
     * @param ready whether it can answer requests, and if not, why (null when ready)
     */
    public static HttpEndpoint start(InetSocketAddress address, Supplier<String> metrics, BooleanSupplier healthy,
            Supplier<String> ready) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + address + ": " + e.getMessage()
                    + ". Is another weftd running? Choose another --metrics-address", e);
        }
        server.createContext("/metrics", x -> {
            if (allowed(x)) {
                send(x, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
            }
        });
        server.createContext("/healthz", x -> {
            if (allowed(x)) {
                boolean ok = healthy.getAsBoolean();
                send(x, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "event loop is not running\n");
            }
        });
        server.createContext("/readyz", x -> {
            if (allowed(x)) {
                String why = ready.get();
                send(x, why == null ? 200 : 503, "text/plain; charset=utf-8", why == null ? "ready\n" : why + "\n");
            }
        });
        server.createContext("/", x -> send(x, 404, "text/plain; charset=utf-8",
                "weftd serves /metrics, /healthz, /readyz and /ring\n"));
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weft-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.start();
        log.info("metrics and health on http://{}:{}/", server.getAddress().getHostString(),
                server.getAddress().getPort());
        return new HttpEndpoint(server, thread);
    }

    /** Serves an HTML page at {@code path} (e.g. the ring picture), built afresh for every GET. */
    public void page(String path, Supplier<String> html) {
        server.createContext(path, x -> {
            if (allowed(x)) {
                send(x, 200, "text/html; charset=utf-8", html.get());
            }
        });
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static boolean allowed(HttpExchange x) throws IOException {
        String m = x.getRequestMethod();
        if (m.equals("GET") || m.equals("HEAD")) {
            return true;
        }
        send(x, 405, "text/plain; charset=utf-8", "use GET\n");
        return false;
    }

    private static void send(HttpExchange x, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(code, head ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
