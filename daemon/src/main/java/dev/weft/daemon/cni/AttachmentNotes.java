package dev.weft.daemon.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notes of every attachment, one small file each in a folder of the CNI state, written to a temporary
 * file and renamed. Kept in memory too; the files are read once, at start.
 *
 * <p>A note is synced (file and folder) only when asked: its ADD time must survive a crash only while a
 * spooled DEL could be older than the ADD (see {@link CniService}); otherwise losing it in a power cut costs
 * no more than the pod's name in the CLI. A sync costs ~8 ms here, more than the rest of an ADD. A note a
 * power cut left unreadable was by that rule never needed for safety: it is moved to {@code damaged/}
 * with a warning.
 */
public final class AttachmentNotes {
    private static final Logger LOG = LoggerFactory.getLogger(AttachmentNotes.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SUFFIX = ".note";
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path dir;
    private final Map<String, Note> notes = new ConcurrentHashMap<>();

    private AttachmentNotes(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating it if absent) the folder and reads every note. Leftover temporary files were never
     * renamed into place, so nothing was acknowledged from them: they are removed.
     *
     * @throws IOException naming the file and what to do when a note cannot be read
     */
    public static AttachmentNotes open(Path dir) throws IOException {
        Files.createDirectories(dir);
        AttachmentNotes book = new AttachmentNotes(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(TEMP_PREFIX)) {
                    Files.deleteIfExists(f);
                } else if (name.endsWith(SUFFIX)) {
                    Note n = read(f);
                    if (n != null) {
                        book.notes.put(n.key(), n);
                    }
                }
            }
        }
        return book;
    }

    public Optional<Note> get(String key) {
        return Optional.ofNullable(notes.get(key));
    }

    public List<Note> all() {
        return List.copyOf(notes.values());
    }

    /** Records {@code note}, replacing any earlier note of the same attachment; durable when {@code sync}. */
    public void put(Note note, boolean sync) throws IOException {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("network", note.network());
        o.put("containerId", note.containerId());
        o.put("ifname", note.ifname());
        o.put("podNamespace", note.podNamespace());
        o.put("podName", note.podName());
        o.put("podUid", note.podUid());
        o.put("addedAt", note.addedAt());
        String file = fileName(note.key());
        Path tmp = dir.resolve(TEMP_PREFIX + file + "-" + Thread.currentThread().getId());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(o.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (sync) {
                ch.force(true);
            }
        }
        move(tmp, dir.resolve(file));
        if (sync) {
            syncDir();
        }
        notes.put(note.key(), note);
    }

    /**
     * Forgets the note of {@code key} if it is still the one ADDed at {@code addedAt}: a DEL that raced a
     * new ADD of the same attachment leaves the new note alone.
     */
    public synchronized void removeIf(String key, long addedAt) throws IOException {
        Note n = notes.get(key);
        if (n == null || n.addedAt() != addedAt) {
            return;
        }
        Files.deleteIfExists(dir.resolve(fileName(key)));
        notes.remove(key, n);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the notes folder " + from.getParent() + " cannot rename atomically: put the weft"
                    + " state folder on a local file system", e);
        }
    }

    private void syncDir() throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** The note in {@code f}, or null when it is unreadable (then moved aside, with a warning). */
    private static Note read(Path f) throws IOException {
        try {
            JsonNode o = MAPPER.readTree(Files.readAllBytes(f));
            return new Note(o.get("network").asText(), o.get("containerId").asText(), o.get("ifname").asText(),
                    o.hasNonNull("podNamespace") ? o.get("podNamespace").asText() : null,
                    o.hasNonNull("podName") ? o.get("podName").asText() : null,
                    o.hasNonNull("podUid") ? o.get("podUid").asText() : null, o.get("addedAt").asLong());
        } catch (IOException | RuntimeException e) {
            Path damaged = f.resolveSibling("damaged");
            Files.createDirectories(damaged);
            Files.move(f, damaged.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("CNI attachment note {} is unreadable ({}), moved to {}: the pod keeps its address, only its"
                    + " pod name is no longer shown", f, e.toString(), damaged);
            return null;
        }
    }

    private static String fileName(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 20) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
