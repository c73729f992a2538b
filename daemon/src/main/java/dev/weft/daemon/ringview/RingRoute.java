package dev.weft.daemon.ringview;

import dev.weft.daemon.api.Views;
import dev.weft.daemon.api.v1.RingReply;
import dev.weft.daemon.loop.CoreGateway;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The {@code /ring} page of the daemon's HTTP endpoint: one read of the core, then pure rendering. */
public final class RingRoute {
    private RingRoute() {}

    /** The page, or a short page saying why there is none (forming, or the loop not answering). */
    public static String page(CoreGateway core) {
        record Seen(String self, String forming, RingReply ring) {}
        Seen seen;
        try {
            seen = core.read(p -> new Seen(p.self().toString(), p.status().forming(), Views.ring(p)))
                    .get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RingPage.forming("this weftd", "interrupted while reading the ring; reload the page");
        } catch (ExecutionException | TimeoutException e) {
            return RingPage.forming("this weftd", "the event loop did not answer (" + e + "); see weftd's log");
        }
        return seen.ring() == null ? RingPage.forming(seen.self(), seen.forming())
                : RingPage.render(RingModel.from(seen.ring()), seen.self());
    }
}
