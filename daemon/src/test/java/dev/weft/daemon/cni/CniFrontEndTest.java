package dev.weft.daemon.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.space.Attachment;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket, the frame and the DEL spool, over a real unix socket and real files. */
class CniFrontEndTest {
    private static final String CONF = Calls.conf("1.0.0", "net", "");

    @TempDir
    Path tmp;
    private TestLoop loop;
    private Path socket;
    private Path spool;
    private CniFrontEnd front;

    @BeforeEach
    void start() throws Exception {
        loop = TestLoop.ready();
        socket = tmp.resolve("cni.sock");
        spool = tmp.resolve("spool");
        front = CniFrontEnd.start(loop, socket, spool, tmp.resolve("notes"));
    }

    @AfterEach
    void stop() throws Exception {
        front.close();
        loop.close();
    }

    static CniAnswer call(Path socket, byte[] frame) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer b = ByteBuffer.wrap(frame);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            return Frame.readResponse(Channels.newInputStream(ch));
        }
    }

    private CniAnswer call(Map<String, String> env, String stdin) throws IOException {
        return call(socket, Frame.encodeRequest(env, stdin.getBytes(StandardCharsets.UTF_8)));
    }

    private boolean holds(String id) {
        return loop.read(p -> p.space().addressOf(new Attachment(id, "eth0", "net"))).join() >= 0;
    }

    @Test
    void aCallOverTheSocketGetsItsAnswer() throws Exception {
        CniAnswer a = call(Calls.env("ADD", "c1", "eth0"), CONF);
        assertThat(a.exitCode()).as(a.stdout()).isZero();
        assertThat(Calls.json(a.stdout()).get("ips").get(0).get("address").asText()).endsWith("/12");
        assertThat(Files.getPosixFilePermissions(socket)).hasSize(4);
    }

    @Test
    void parallelCallsFromManyPluginsAllGetDistinctAddresses() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<CniAnswer>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "p" + i;
                calls.add(pool.submit(() -> call(Calls.env("ADD", id, "eth0"), CONF)));
            }
            Set<String> addresses = new HashSet<>();
            for (var f : calls) {
                CniAnswer a = f.get();
                assertThat(a.exitCode()).as(a.stdout()).isZero();
                assertThat(addresses.add(Calls.json(a.stdout()).get("ips").get(0).get("address").asText())).isTrue();
            }
            assertThat(loop.held()).isEqualTo(201); // and the gateway
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBrokenFrameIsAnsweredWithAnErrorNotSilence() throws Exception {
        CniAnswer a = call(socket, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(a.exitCode()).isNotZero();
        assertThat(a.stdout()).contains("\"code\":5").contains("bad magic");
        byte[] frame = Frame.encodeRequest(Calls.env("ADD", "c1", "eth0"), CONF.getBytes(StandardCharsets.UTF_8));
        frame[4] = 9;
        assertThat(call(socket, frame).stdout()).contains("frame version 9");
        assertThat(loop.held()).isZero();
    }

    @Test
    void aSecondDaemonOnTheSameSocketIsRefusedAndAStaleSocketIsReplaced() throws Exception {
        assertThatThrownBy(() -> CniFrontEnd.start(loop, socket, tmp.resolve("s2"), tmp.resolve("n2")))
                .hasMessageContaining("another process already serves the CNI socket " + socket);
        Path stale = tmp.resolve("stale.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(stale));
        }
        assertThat(stale).exists();
        try (CniFrontEnd second = CniFrontEnd.start(loop, stale, tmp.resolve("s3"), tmp.resolve("n3"))) {
            assertThat(call(stale, Frame.encodeRequest(Map.of("CNI_COMMAND", "VERSION"), new byte[0])).exitCode())
                    .isZero();
        }
    }

    /** What the plugin writes when the daemon is away: a request frame with its spooling time, renamed into place. */
    private void spoolDel(Path dir, String id, long spooledAt) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(Calls.env("DEL", id, "eth0"));
        env.put(Frame.SPOOLED_AT, Long.toString(spooledAt));
        Path t = dir.resolve(DelSpool.TEMP_PREFIX + id);
        Files.write(t, Frame.encodeRequest(env, CONF.getBytes(StandardCharsets.UTF_8)));
        Files.move(t, dir.resolve(DelSpool.PREFIX + spooledAt + "-" + id + DelSpool.SUFFIX));
    }

    @Test
    void theSpoolIsCarriedOutBeforeServingAndDropsADelOvertakenByAnAdd() throws Exception {
        call(Calls.env("ADD", "gone", "eth0"), CONF);
        long before = CniFrontEnd.wallClockNanos();
        call(Calls.env("ADD", "back", "eth0"), CONF);
        front.close();
        spoolDel(spool, "gone", CniFrontEnd.wallClockNanos());
        spoolDel(spool, "back", before); // spooled before "back" was ADDed again
        front = CniFrontEnd.start(loop, socket, spool, tmp.resolve("notes"));
        assertThat(holds("gone")).isFalse();
        assertThat(holds("back")).isTrue();
        try (var left = Files.list(spool)) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aDelSpooledWhileRunningIsCarriedOutAndAGarbledOneIsSetAside() throws Exception {
        call(Calls.env("ADD", "c1", "eth0"), CONF);
        spoolDel(spool, "c1", CniFrontEnd.wallClockNanos());
        Files.write(spool.resolve(DelSpool.PREFIX + "0-junk" + DelSpool.SUFFIX), new byte[] {'W', 'C', 'N', 'I', 1, 0});
        waitFor(() -> !holds("c1"));
        waitFor(() -> Files.exists(spool.resolve("rejected").resolve(DelSpool.PREFIX + "0-junk" + DelSpool.SUFFIX)));
    }

    /** Liveness only: the condition must come true; the bound is generous and says nothing about speed. */
    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
