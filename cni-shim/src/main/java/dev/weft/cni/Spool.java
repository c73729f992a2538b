package dev.weft.cni;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DEL weftd could not take now: one request frame per file, stamped with when it was spooled, written
 * to a temporary name, synced and renamed, so weftd never sees half a file. weftd carries it out when it
 * can, unless the attachment was ADDed again after the stamp.
 */
final class Spool {
    private Spool() {}

    static void write(Path dir, Map<String, String> env, byte[] stdin) throws IOException {
        Files.createDirectories(dir);
        Instant now = Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Map<String, String> stamped = new LinkedHashMap<>(env);
        stamped.put("WEFT_SPOOLED_AT", Long.toString(nanos));
        String name = "del-" + nanos + "-" + ProcessHandle.current().pid() + ".frame";
        Path tmp = dir.resolve(".tmp-" + name);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(PluginFrame.encode(stamped, stdin));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
