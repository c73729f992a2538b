package dev.weft.daemon.cni;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plugin↔daemon frame, version 1 (docs/cni.md defines it; the two plugin builds in {@code cni-shim}
 * write the same bytes). All integers are unsigned 32-bit big-endian.
 *
 * <pre>
 * request  = "WCNI" 0x01 envLen env stdinLen stdin      env = ("KEY=VALUE" 0x00)*
 * response = "WCNI" 0x01 exitCode(1 byte) outLen out
 * </pre>
 *
 * A DEL spooled while the daemon is away is one request frame in a file, with {@code WEFT_SPOOLED_AT}
 * (nanoseconds since the epoch) among its variables.
 */
public final class Frame {
    public static final byte[] MAGIC = {'W', 'C', 'N', 'I'};
    public static final int VERSION = 1;
    /** Bound on the variables: CNI sends a handful of short ones. */
    public static final int MAX_ENV = 64 * 1024;
    /** Bound on stdin; the plugin sends at most one byte more, so the daemon can name the overflow. */
    public static final int MAX_STDIN = 1024 * 1024;
    public static final int MAX_OUT = 4 * 1024 * 1024;
    /** Set by the plugin on a spooled DEL: when it gave up reaching the daemon. */
    public static final String SPOOLED_AT = "WEFT_SPOOLED_AT";

    private Frame() {}

    /** A frame that breaks the protocol (wrong magic, version, or a length past its bound). */
    public static final class BadFrameException extends IOException {
        public BadFrameException(String message) {
            super(message);
        }
    }

    /** Reads one request; stdin may be one byte over {@link #MAX_STDIN} (the caller reports that as bad input). */
    public static CniRequest readRequest(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        readHeader(in);
        byte[] env = readBlock(in, MAX_ENV, "variables");
        byte[] stdin = readBlock(in, MAX_STDIN + 1, "stdin");
        return new CniRequest(parseEnv(env), stdin);
    }

    public static byte[] encodeRequest(Map<String, String> env, byte[] stdin) {
        ByteArrayOutputStream envBytes = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : env.entrySet()) {
            envBytes.writeBytes((e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
            envBytes.write(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(VERSION);
        writeBlock(out, envBytes.toByteArray());
        writeBlock(out, stdin);
        return out.toByteArray();
    }

    public static byte[] encodeResponse(CniAnswer answer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(VERSION);
        out.write(answer.exitCode());
        writeBlock(out, answer.stdout().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    public static CniAnswer readResponse(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        readHeader(in);
        int exit = in.readUnsignedByte();
        byte[] out = readBlock(in, MAX_OUT, "output");
        return new CniAnswer(exit, new String(out, StandardCharsets.UTF_8), exit == 0 ? 0 : -1);
    }

    private static void readHeader(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new BadFrameException("not a weft CNI frame (bad magic): is the plugin weft-ipam talking to"
                        + " the CNI socket?");
            }
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new BadFrameException("frame version " + version + " is not supported (this daemon speaks "
                    + VERSION + "): install the weft-ipam plugin that came with this weftd");
        }
    }

    private static byte[] readBlock(DataInputStream in, int max, String what) throws IOException {
        long length = Integer.toUnsignedLong(in.readInt());
        if (length > max) {
            throw new BadFrameException(what + " of " + length + " bytes is over the bound of " + max + " bytes");
        }
        byte[] b = new byte[(int) length];
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new BadFrameException(what + " ended early: the frame promised " + length + " bytes");
        }
        return b;
    }

    private static void writeBlock(ByteArrayOutputStream out, byte[] block) {
        int n = block.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(block);
    }

    /** "K=V\0" entries; an entry without '=' is refused (the plugin never sends one). */
    private static Map<String, String> parseEnv(byte[] env) throws BadFrameException {
        Map<String, String> vars = new LinkedHashMap<>();
        int start = 0;
        for (int i = 0; i < env.length; i++) {
            if (env[i] != 0) {
                continue;
            }
            String entry = new String(env, start, i - start, StandardCharsets.UTF_8);
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new BadFrameException("variable entry '" + entry + "' has no NAME=VALUE form");
            }
            vars.put(entry.substring(0, eq), entry.substring(eq + 1));
            start = i + 1;
        }
        if (start != env.length) {
            throw new BadFrameException("the variables block does not end with a NUL byte");
        }
        return vars;
    }
}
