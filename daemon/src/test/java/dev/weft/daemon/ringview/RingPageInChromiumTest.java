package dev.weft.daemon.ringview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.daemon.api.v1.AllocateRequest;
import dev.weft.daemon.api.v1.Attachment;
import dev.weft.daemon.api.v1.RingRequest;
import dev.weft.daemon.api.v1.StatusRequest;
import dev.weft.daemon.support.ApiClient;
import dev.weft.daemon.support.Chromium;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.ThreePeers;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real 3-peer cluster's {@code /ring} page in headless Chromium: every peer in the legend, and a screenshot.
 * {@code -Dweft.ring.png=PATH} keeps the screenshot (docs/ring.png was made so).
 */
class RingPageInChromiumTest {
    /**
     * Peers report their free counts into the ring on their own schedule; wait a little for the picture to
     * show the pods (the assertions below do not depend on it).
     */
    private static void awaitFreeCounts(Path socket, long inUse) throws InterruptedException {
        long until = System.nanoTime() + 20_000_000_000L;
        try (ApiClient c = new ApiClient(socket)) {
            while (System.nanoTime() < until) {
                RingModel m = RingModel.from(c.blocking().ring(RingRequest.getDefaultInstance()));
                if (m.owners().stream().mapToLong(RingModel.Owner::inUse).sum() >= inUse) {
                    return;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void everyPeerIsInTheLegend(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        Chromium.require();
        try (ThreePeers cluster = new ThreePeers(dir, "10.93.0.0/22")) {
            String[] selves = new String[3];
            int[] pods = {120, 70, 35};
            for (int i = 0; i < 3; i++) {
                try (ApiClient c = new ApiClient(cluster.get(i).socket())) {
                    selves[i] = c.blocking().status(StatusRequest.getDefaultInstance()).getSelf();
                    for (int n = 0; n < pods[i]; n++) {
                        c.blocking().allocate(AllocateRequest.newBuilder().setAttachment(Attachment.newBuilder()
                                .setContainerId("pod-" + i + "-" + n).setIfname("eth0")).build());
                    }
                }
            }
            awaitFreeCounts(cluster.get(0).socket(), 225);
            InetSocketAddress http = cluster.get(0).httpAddress();
            String url = "http://127.0.0.1:" + http.getPort() + "/ring";
            String dom = Chromium.dumpDom(url, dir);
            for (String self : selves) {
                assertThat(dom).contains("class=\"legend\" data-owner=\"" + self + "\"");
            }
            assertThat(dom).contains("<svg").contains("http-equiv=\"refresh\"");
            Path png = dir.resolve("ring.png");
            Chromium.screenshot(url, png, dir);
            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes.length).isGreaterThan(10_000);
            assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
            String keep = System.getProperty("weft.ring.png");
            if (keep != null) {
                Files.copy(png, Path.of(keep), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
