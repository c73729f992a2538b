package dev.weft.daemon.store;

import dev.weft.core.node.Record;
import dev.weft.daemon.loop.BatchWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The peer's records in RocksDB: one key per {@link Record#key()}, the latest value kept, a deletion
 * removing its key, and a schema key written before anything else. Every write is one synced batch, so a
 * step's records are on disk together or not at all.
 *
 * <p>Opening never starts a damaged or foreign folder as if it were empty: the caller gets a
 * {@link StoreRefusedException} that names the folder, what is wrong and what to do.
 */
public final class Store implements BatchWriter, AutoCloseable {
    static final byte[] SCHEMA_KEY = "weftd/schema".getBytes(StandardCharsets.UTF_8);
    private static final String OWN_PREFIX = "weftd/";

    private final Path folder;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions synced;
    private final List<Record> records;
    private boolean closed;

    private Store(Path folder, Options options, RocksDB db, List<Record> records) {
        this.folder = folder;
        this.options = options;
        this.db = db;
        this.synced = new WriteOptions().setSync(true);
        this.records = records;
    }

    /**
     * Loads RocksDB's native library on another thread, so that unpacking it (a few hundred milliseconds)
     * overlaps the rest of start-up; {@link #open} waits for it if it is still loading.
     */
    public static void preload() {
        Thread t = new Thread(RocksDB::loadLibrary, "weft-rocksdb-load");
        t.setDaemon(true);
        t.start();
    }

    /** Opens (or creates) the store in {@code folder} and reads every record in it. */
    public static Store open(Path folder) throws StoreRefusedException {
        folder = folder.toAbsolutePath().normalize();
        boolean fresh = prepareFolder(folder);
        RocksDB.loadLibrary();
        Options options = new Options().setCreateIfMissing(fresh).setParanoidChecks(true);
        RocksDB db;
        try {
            db = RocksDB.open(options, folder.toString());
        } catch (RocksDBException e) {
            options.close();
            throw refusal(folder, e);
        }
        try {
            // A store created but never written (a crash right after creation) is new as well.
            List<Record> records = fresh ? markNew(db) : readAll(folder, db);
            return new Store(folder, options, db, records);
        } catch (StoreRefusedException | RuntimeException e) {
            db.close();
            options.close();
            throw e;
        }
    }

    /** True when the folder may hold a new store; refuses folders that hold something else. */
    private static boolean prepareFolder(Path folder) throws StoreRefusedException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new StoreRefusedException("data folder " + folder + " is a file, not a folder: point --data-dir at a"
                    + " folder (it is created when missing)");
        }
        if (Files.isRegularFile(folder.resolve("CURRENT"))) {
            return false;
        }
        try {
            Files.createDirectories(folder);
            try (Stream<Path> files = Files.list(folder)) {
                if (files.findAny().isPresent()) {
                    throw new StoreRefusedException("data folder " + folder + " is not empty but holds no weft store"
                            + " (no RocksDB CURRENT file): it is another program's folder, or a damaged store. Point"
                            + " --data-dir at an empty folder, or move this one aside (mv " + folder + " " + folder
                            + ".broken) and restart: the peer then joins as a new install");
                }
            }
        } catch (IOException e) {
            throw new StoreRefusedException("cannot create or read data folder " + folder + ": " + e.getMessage()
                    + ". Check that it is writable by weftd, or choose another with --data-dir", e);
        }
        return true;
    }

    private static List<Record> markNew(RocksDB db) throws StoreRefusedException {
        try (WriteOptions sync = new WriteOptions().setSync(true)) {
            db.put(sync, SCHEMA_KEY, Integer.toString(RecordCodec.SCHEMA).getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new StoreRefusedException("cannot write to the new store: " + e.getMessage()
                    + ". Check the disk (space, permissions) and restart", e);
        }
        return List.of();
    }

    private static List<Record> readAll(Path folder, RocksDB db) throws StoreRefusedException {
        List<Record> out = new ArrayList<>();
        String schema = null;
        boolean any = false;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                any = true;
                String key = new String(it.key(), StandardCharsets.UTF_8);
                if (key.startsWith(OWN_PREFIX)) {
                    if (key.equals("weftd/schema")) {
                        schema = new String(it.value(), StandardCharsets.UTF_8);
                    }
                    continue;
                }
                try {
                    out.add(RecordCodec.decode(key, it.value()));
                } catch (DamagedRecordException e) {
                    throw damaged(folder, e.getMessage());
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw refusal(folder, e);
        }
        if (!any) {
            return markNew(db);
        }
        if (schema == null) {
            throw damaged(folder, "it has records but no schema version key, so it was not written by weftd");
        }
        if (!schema.equals(Integer.toString(RecordCodec.SCHEMA))) {
            throw new StoreRefusedException("data folder " + folder + " was written with store schema version '"
                    + schema + "', and this weftd reads version " + RecordCodec.SCHEMA + " only (it converts no"
                    + " other). Run the weftd release that wrote it, or move the folder aside (mv " + folder + " "
                    + folder + ".old) and restart: the peer then joins as a new install; then remove the old install"
                    + " from the cluster (weft remove-peer) so its ranges are taken over");
        }
        return out;
    }

    private static StoreRefusedException refusal(Path folder, RocksDBException e) {
        String msg = String.valueOf(e.getMessage());
        Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
        if (msg.toLowerCase(Locale.ROOT).contains("lock")) {
            return new StoreRefusedException("data folder " + folder + " is in use by another weftd (its RocksDB LOCK"
                    + " is held: " + msg + "). Stop the other weftd, or give this one its own --data-dir", e);
        }
        if (code == Status.Code.Corruption || code == Status.Code.NotSupported || code == Status.Code.InvalidArgument) {
            return damaged(folder, "RocksDB says: " + msg.replaceAll("[.\\s]+$", ""));
        }
        return new StoreRefusedException("cannot open data folder " + folder + ": " + msg + ". Check the disk and"
                + " the folder's permissions; if the store is damaged, move it aside (mv " + folder + " " + folder
                + ".broken) and restart: the peer then joins as a new install", e);
    }

    private static StoreRefusedException damaged(Path folder, String what) {
        return new StoreRefusedException("data folder " + folder + " is damaged: " + what + ". weftd will not start on"
                + " it, so no address is handed out twice. Move it aside (mv " + folder + " " + folder + ".broken)"
                + " and restart: the peer then joins as a new install; then remove the old install from the"
                + " cluster (weft remove-peer) so its ranges are taken over");
    }

    public Path folder() {
        return folder;
    }

    /** Every record read at open, in key order; empty for a new install. */
    public List<Record> records() {
        return records;
    }

    /** Makes {@code batch} durable in one synced write; later records for a key win over earlier ones. */
    @Override
    public void write(List<Record> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        try (WriteBatch wb = new WriteBatch()) {
            for (Record r : batch) {
                byte[] key = r.key().getBytes(StandardCharsets.UTF_8);
                if (r.deletes()) {
                    wb.delete(key);
                } else {
                    wb.put(key, RecordCodec.encode(r));
                }
            }
            db.write(synced, wb);
        } catch (RocksDBException e) {
            throw new IOException("writing " + batch.size() + " records to " + folder + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        synced.close();
        db.close();
        options.close();
    }
}
