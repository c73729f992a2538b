package dev.weft.daemon.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.node.Record;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

class StoreTest {
    static final PeerId A = new PeerId("a", 7);
    static final PeerId B = new PeerId("b", 9);

    static List<Record> everyKind() {
        Attachment att = new Attachment("c1", "eth0");
        Attachment onStorage = new Attachment("c1", "eth0", "storage");
        return List.of(new Record.Identity(A), new Record.Cluster(new ClusterId("cid"), new Range(0, 256)),
                new Record.RingEntry(Entry.of(0, 3, A, 100, 128)),
                new Record.RingEntry(Entry.ofClaims(128, 2, List.of(new Claim(A, 5, 256), new Claim(B, 6, 256, true)))),
                new Record.Tombstone(B), new Record.Held(new Hold(att, 17)), new Record.Held(new Hold(onStorage, 18)),
                new Record.Cooldown(new Range(128, 192), 123_456),
                new Record.Cooldown(new Range(192, 200), 7, B, true),
                new Record.Kept(B, List.of(att, onStorage, new Attachment("pod/\u00e9 x", "net1", "n-2.v"))),
                new Record.Kept(new PeerId("c", 1), List.of()),
                new Record.Grant(B, -5L, new Range(200, 256)),
                new Record.Removal(B),
                new Record.Restored("the ring has its entry at token 0 at version 4, its folder only version 3"),
                new Record.Removal(new PeerId("c", 1), true),
                new Record.Acceptor(new Ballot(3, A), new Ballot(2, B), List.of(A, B)),
                new Record.Acceptor(new Ballot(1, A), null, null));
    }

    /** Records that delete their key, one per kind that does. */
    static List<Record> everyDeletion() {
        return List.of(new Record.Freed(new Attachment("c1", "eth0", "storage")),
                new Record.Forget(new Record.Cooldown(new Range(192, 200), 0).key()),
                new Record.Forget(new Record.Grant(B, -5L, new Range(200, 256)).key()));
    }

    /** A store holding every kind of record, closed again. */
    static Path written(Path dir) throws Exception {
        Path folder = dir.resolve("data");
        try (Store s = Store.open(folder)) {
            s.write(everyKind());
        }
        return folder;
    }

    interface Edit {
        void apply(RocksDB db, WriteOptions w) throws Exception;
    }

    /** Changes the store's raw keys behind weftd's back, as damage or another program would. */
    static void tamper(Path folder, Edit edit) throws Exception {
        try (RocksDB db = RocksDB.open(folder.toString()); WriteOptions w = new WriteOptions().setSync(true)) {
            edit.apply(db, w);
        }
    }

    @Test
    void everyRecordKindRoundTrips() throws Exception {
        for (Record r : everyKind()) {
            Record back = RecordCodec.decode(r.key(), RecordCodec.encode(r));
            assertThat(back.key()).isEqualTo(r.key());
            if (r instanceof Record.RingEntry e) {
                assertThat(((Record.RingEntry) back).entry()).isEqualTo(e.entry());
                assertThat(((Record.RingEntry) back).entry().claims()).isEqualTo(e.entry().claims());
            } else if (r instanceof Record.Held h) {
                assertThat(((Record.Held) back).hold()).isEqualTo(h.hold());
            } else {
                assertThat(back).isEqualTo(r);
            }
        }
    }

    @Test
    void damagedValuesAreRefusedNotGuessed() {
        byte[] good = RecordCodec.encode(new Record.Held(new Hold(new Attachment("c1", "eth0"), 17)));
        String key = new Record.Freed(new Attachment("c1", "eth0")).key();
        assertThatThrownBy(() -> RecordCodec.decode(key, java.util.Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(DamagedRecordException.class).hasMessageContaining("damaged");
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> RecordCodec.decode(key, longer)).hasMessageContaining("left over");
        byte[] badTag = good.clone();
        badTag[0] = 99;
        assertThatThrownBy(() -> RecordCodec.decode(key, badTag)).hasMessageContaining("unknown record kind 99");
        assertThatThrownBy(() -> RecordCodec.decode("hold/other\neth0", good)).hasMessageContaining("holds the record");
    }

    @Test
    void recordsSurviveReopenAndDeletionsRemoveKeys(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("data");
        try (Store s = Store.open(folder)) {
            assertThat(s.records()).isEmpty();
            s.write(everyKind());
            s.write(everyDeletion());
        }
        List<String> deleted = everyDeletion().stream().map(Record::key).toList();
        try (Store s = Store.open(folder)) {
            assertThat(s.records()).extracting(Record::key)
                    .containsExactlyInAnyOrderElementsOf(everyKind().stream().map(Record::key).distinct()
                            .filter(k -> !deleted.contains(k)).toList())
                    .contains(new Record.Held(new Hold(new Attachment("c1", "eth0"), 17)).key()); // other network
        }
    }

    @Test
    void aFolderOfSomethingElseIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> Store.open(dir)).isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("not empty but holds no weft store").hasMessageContaining("move this one aside");
        assertThat(Files.list(dir).toList()).hasSize(1);
    }

    @Test
    void aFileIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "x");
        assertThatThrownBy(() -> Store.open(file)).hasMessageContaining("is a file");
    }

    @Test
    void aCorruptValueStopsStartupWithWhatToDo(@TempDir Path dir) throws Exception {
        Path folder = written(dir);
        tamper(folder, (db, w) -> db.put(w, "identity".getBytes(StandardCharsets.UTF_8), new byte[] {1, 0}));
        assertThatThrownBy(() -> Store.open(folder)).isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("is damaged").hasMessageContaining("'identity'")
                .hasMessageContaining("mv " + folder.toAbsolutePath());
    }

    @Test
    void damagedRocksDbFilesAreRefused(@TempDir Path dir) throws Exception {
        Path folder = written(dir);
        // The MANIFEST names what the store holds: garbage there is a store RocksDB cannot open.
        String manifest = Files.readString(folder.resolve("CURRENT")).trim();
        Files.write(folder.resolve(manifest), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        assertThatThrownBy(() -> Store.open(folder)).isInstanceOf(StoreRefusedException.class)
                .hasMessageContaining("damaged").hasMessageContaining("Move it aside");
    }

    @Test
    void anUnknownSchemaVersionIsRefused(@TempDir Path dir) throws Exception {
        Path folder = written(dir);
        tamper(folder, (db, w) -> db.put(w, Store.SCHEMA_KEY, "99".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> Store.open(folder)).hasMessageContaining("schema version '99'")
                .hasMessageContaining("reads version " + RecordCodec.SCHEMA);
    }

    @Test
    void recordsWithoutASchemaKeyAreNotAWeftStore(@TempDir Path dir) throws Exception {
        Path folder = written(dir);
        tamper(folder, (db, w) -> db.delete(w, Store.SCHEMA_KEY));
        assertThatThrownBy(() -> Store.open(folder)).hasMessageContaining("no schema version key");
    }

    @Test
    void aSecondOpenOfOneFolderIsRefused(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("data");
        try (Store first = Store.open(folder)) {
            assertThatThrownBy(() -> Store.open(folder)).isInstanceOf(StoreRefusedException.class)
                    .hasMessageContaining("in use by another weftd").hasMessageContaining("--data-dir");
            first.write(List.of(new Record.Identity(A)));
        }
        try (Store again = Store.open(folder)) {
            assertThat(again.records()).hasSize(1);
        }
    }
}
