package dev.weft.daemon.cni;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DELs the plugin could not deliver: one request frame per file ({@code del-*.frame}), each written to a
 * temporary name and renamed, so a crash leaves no half entry. Carried out once before the daemon serves
 * anything, then whenever a file appears (and on a slow rescan, which also retries "try again later").
 * A file is deleted only once its DEL is done or dropped; a file that can never be carried out is moved
 * to {@code rejected/} with a log line, never silently lost.
 */
public final class DelSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DelSpool.class);
    static final String PREFIX = "del-";
    static final String SUFFIX = ".frame";
    static final String TEMP_PREFIX = ".tmp-";
    private static final long RESCAN_MS = 5_000;
    /** A temporary file this old belongs to a plugin that died mid-write: it never reported success. */
    private static final long STALE_TEMP_MS = 10 * 60_000;

    private final Path dir;
    private volatile CniService service;
    private volatile WatchService watcher;
    private volatile Thread thread;

    public DelSpool(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    /** Carries out every spooled DEL through {@code cni} (see {@link #replayAll()}), then watches the folder. */
    public int start(CniService cni) throws IOException {
        this.service = cni;
        int left = replayAll();
        watch();
        return left;
    }

    public Path dir() {
        return dir;
    }

    /** Carries out every spooled DEL now, oldest first; returns how many files are left (to retry). */
    synchronized int replayAll() throws IOException {
        List<Path> files = new ArrayList<>();
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path f : entries) {
                String name = f.getFileName().toString();
                if (isSpooled(f)) {
                    files.add(f);
                } else if (name.startsWith(TEMP_PREFIX) && isOlderThan(f, now - STALE_TEMP_MS)) {
                    Files.deleteIfExists(f);
                }
            }
        }
        Collections.sort(files);
        int left = 0;
        for (Path f : files) {
            if (!carryOut(f)) {
                left++;
            }
        }
        return left;
    }

    /**
     * Whether any DEL waits in the folder now. A DEL the plugin spooled before an ADD arrived is already
     * renamed into place (the plugin exits only after the rename, and the runtime re-ADDs only after that).
     */
    public boolean hasPending() {
        // A plain filter, not a glob: this runs on every ADD, and a glob compiles a pattern each time.
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, DelSpool::isSpooled)) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            return true; // unknown: treat as pending, which only costs a sync
        }
    }

    /** Starts watching the folder; files that appear are carried out within moments. */
    private void watch() throws IOException {
        watcher = dir.getFileSystem().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        thread = Threads.named("weft-cni-spool").newThread(this::watchLoop);
        thread.start();
    }

    private void watchLoop() {
        while (true) {
            try {
                var key = watcher.poll(RESCAN_MS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
                replayAll();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("DEL spool {}: {}", dir, e.toString());
            }
        }
    }

    /** @return true when the file is gone (done, dropped or rejected), false to retry later */
    private boolean carryOut(Path f) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (java.nio.file.NoSuchFileException gone) {
            return true;
        }
        CniRequest request;
        long spooledAt;
        try {
            request = Frame.readRequest(new ByteArrayInputStream(bytes));
            spooledAt = Long.parseLong(request.env().getOrDefault(Frame.SPOOLED_AT, ""));
        } catch (IOException | NumberFormatException e) {
            reject(f, "it is not a complete spooled DEL (" + e + ")");
            return true;
        }
        CniAnswer answer;
        try {
            answer = service.replaySpooled(request, spooledAt).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("spooled DEL {} not carried out yet: {}", f.getFileName(), e.toString());
            return false;
        }
        if (answer.exitCode() == 0) {
            Files.deleteIfExists(f);
            LOG.info("spooled DEL {} carried out", f.getFileName());
            return true;
        }
        if (answer.code() == CniError.TRY_AGAIN_LATER) {
            return false;
        }
        reject(f, answer.stdout());
        return true;
    }

    private void reject(Path f, String why) throws IOException {
        Path rejected = dir.resolve("rejected");
        Files.createDirectories(rejected);
        Files.move(f, rejected.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        LOG.error("spooled DEL {} cannot be carried out and was moved to {}: {}. If its pod is gone and the"
                + " attachment still holds an address, release it by hand", f.getFileName(), rejected, why);
    }

    private static boolean isSpooled(Path f) {
        String name = f.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    private static boolean isOlderThan(Path f, long millis) {
        try {
            return Files.getLastModifiedTime(f).compareTo(FileTime.fromMillis(millis)) < 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
