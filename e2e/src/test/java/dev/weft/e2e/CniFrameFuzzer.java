package dev.weft.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile frames on weftd's CNI socket (see docs/cni.md, "The frame protocol"): random bytes, another magic,
 * another version, a length past its bound, a frame cut short, an env that is not NAME=VALUE. Each call must end
 * with an answer frame carrying a non-zero exit code, or with the daemon closing a frame it could never finish;
 * never with a crash or a hang.
 */
final class CniFrameFuzzer {
    private CniFrameFuzzer() {}

    /** The problems found (empty when every bad frame was refused cleanly). */
    static List<String> run(Path socket, long seed) {
        Random r = new Random(seed);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] junk = new byte[1 + r.nextInt(200)];
            r.nextBytes(junk);
            check(socket, "random bytes #" + i, junk, false, problems);
        }
        check(socket, "another magic", frame("XCNI", 1, new byte[0], new byte[0], -1), true, problems);
        check(socket, "another version", frame("WCNI", 9, new byte[0], new byte[0], -1), true, problems);
        check(socket, "env length past its bound", frame("WCNI", 1, new byte[0], new byte[0], 0x7FFFFFFF), true,
                problems);
        byte[] env = "CNI_COMMAND=ADD\0CNI_CONTAINERID=fuzz\0".getBytes(StandardCharsets.UTF_8);
        byte[] whole = frame("WCNI", 1, env, "{}".getBytes(StandardCharsets.UTF_8), -1);
        check(socket, "a frame cut short", java.util.Arrays.copyOf(whole, whole.length - 5), false, problems);
        check(socket, "env without '='", frame("WCNI", 1, "garbage\0".getBytes(StandardCharsets.UTF_8),
                new byte[0], -1), true, problems);
        return problems;
    }

    static byte[] frame(String magic, int version, byte[] env, byte[] stdin, int envLenOverride) {
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 4 + env.length + 4 + stdin.length);
        b.put(magic.getBytes(StandardCharsets.US_ASCII)).put((byte) version)
                .putInt(envLenOverride >= 0 ? envLenOverride : env.length).put(env).putInt(stdin.length).put(stdin);
        return b.array();
    }

    /**
     * Sends one frame and half-closes. {@code mustAnswer}: the daemon can tell what is wrong from the bytes sent, so
     * it must answer with an error frame; otherwise an error frame or a clean close are both right.
     */
    private static void check(Path socket, String what, byte[] bytes, boolean mustAnswer, List<String> problems) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(ch);
            try {
                out.write(bytes);
                out.flush();
                ch.shutdownOutput();
            } catch (IOException e) {
                // the daemon may refuse and close before reading everything: its answer, if any, is still there
            }
            InputStream in = Channels.newInputStream(ch);
            byte[] answer = in.readNBytes(10);
            if (answer.length == 0) {
                if (mustAnswer) {
                    problems.add(what + ": the CNI socket closed without an answer");
                }
                return;
            }
            if (answer.length < 6 || answer[0] != 'W' || answer[1] != 'C' || answer[2] != 'N' || answer[3] != 'I') {
                problems.add(what + ": the answer is not a WCNI frame");
            } else if (answer[5] == 0) {
                problems.add(what + ": answered with exit code 0");
            }
        } catch (IOException e) {
            if (mustAnswer) {
                problems.add(what + ": " + e);
            }
        }
    }
}
