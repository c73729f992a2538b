package dev.weft.cni;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The plugin's side of frame version 1 (docs/cni.md; the daemon's side is dev.weft.daemon.cni.Frame):
 * {@code "WCNI" 0x01 envLen env stdinLen stdin} out, {@code "WCNI" 0x01 exit outLen out} back, lengths
 * unsigned 32-bit big-endian, env as {@code KEY=VALUE\0} entries.
 */
final class PluginFrame {
    static final int MAX_STDIN = 1024 * 1024;
    static final int MAX_OUT = 4 * 1024 * 1024;

    /** What weftd answered. */
    static final class Answer {
        final int exitCode;
        final byte[] stdout;

        Answer(int exitCode, byte[] stdout) {
            this.exitCode = exitCode;
            this.stdout = stdout;
        }
    }

    private PluginFrame() {}

    static byte[] encode(Map<String, String> env, byte[] stdin) {
        ByteArrayOutputStream vars = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : env.entrySet()) {
            vars.writeBytes((e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
            vars.write(0);
        }
        byte[] v = vars.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(5 + 4 + v.length + 4 + stdin.length);
        b.put((byte) 'W').put((byte) 'C').put((byte) 'N').put((byte) 'I').put((byte) 1);
        b.putInt(v.length).put(v).putInt(stdin.length).put(stdin);
        return b.array();
    }

    /** One call: connect, send, read the answer; any failure (absent, refused, timed out, cut) is an IOException. */
    static Answer call(Path socket, Map<String, String> env, byte[] stdin, long timeoutMillis) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        Watchdog dog = new Watchdog(ch, timeoutMillis);
        dog.start();
        try {
            ByteBuffer out = ByteBuffer.wrap(encode(env, stdin));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteBuffer head = ByteBuffer.allocate(10);
            readFully(ch, head);
            head.flip();
            if (head.get() != 'W' || head.get() != 'C' || head.get() != 'N' || head.get() != 'I' || head.get() != 1) {
                throw new IOException("the CNI socket " + socket + " did not answer with a weft frame");
            }
            int exit = head.get() & 0xff;
            long length = head.getInt() & 0xffffffffL;
            if (length > MAX_OUT) {
                throw new IOException("weftd's answer of " + length + " bytes is over the bound");
            }
            ByteBuffer body = ByteBuffer.allocate((int) length);
            readFully(ch, body);
            return new Answer(exit, body.array());
        } catch (IOException e) {
            if (dog.fired) {
                throw new IOException("no answer within " + timeoutMillis + " ms", e);
            }
            throw e;
        } finally {
            dog.interrupt();
            ch.close();
        }
    }

    private static void readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("weftd closed the connection before answering");
            }
        }
    }

    /** Closes the channel when the time is up, which ends a blocked read with an exception. */
    private static final class Watchdog extends Thread {
        private final SocketChannel ch;
        private final long millis;
        volatile boolean fired;

        Watchdog(SocketChannel ch, long millis) {
            this.ch = ch;
            this.millis = millis;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                Thread.sleep(millis);
                fired = true;
                ch.close();
            } catch (InterruptedException | IOException e) {
                // Interrupted: the call finished in time.
            }
        }
    }
}
