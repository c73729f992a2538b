package dev.weft.daemon.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Record;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guard against drift: the core adds a record kind (or changes one), and this fails until the store
 * keeps it. Every kind the sealed {@link Record} permits must have an example in {@link StoreTest}; a kind
 * with a value must come back from its bytes equal and under its own key, and a kind that deletes must
 * remove what was stored under its key, through a real store.
 */
class EveryRecordKindTest {
    @Test
    void everyKindTheCorePermitsHasAnExample() {
        Set<Class<?>> covered = new HashSet<>();
        StoreTest.everyKind().forEach(r -> covered.add(r.getClass()));
        StoreTest.everyDeletion().forEach(r -> covered.add(r.getClass()));
        assertThat(covered).as("record kinds with no example in StoreTest.everyKind / everyDeletion")
                .containsExactlyInAnyOrder(Record.class.getPermittedSubclasses());
    }

    @Test
    void everyValueKindRoundTripsAndEveryDeletionHasNoValue() throws Exception {
        for (Record r : StoreTest.everyKind()) {
            assertThat(r.deletes()).as("%s is in the value list but deletes", r).isFalse();
            assertThat(RecordCodec.decode(r.key(), RecordCodec.encode(r))).as(r.toString()).isEqualTo(r);
        }
        for (Record r : StoreTest.everyDeletion()) {
            assertThat(r.deletes()).as("%s is in the deletion list but keeps a value", r).isTrue();
        }
    }

    @Test
    void everyDeletionRemovesItsKeyFromAStoreAndNothingElse(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("data");
        List<Record> values = StoreTest.everyKind();
        try (Store s = Store.open(folder)) {
            s.write(values);
        }
        for (Record deletion : StoreTest.everyDeletion()) {
            List<String> before;
            try (Store s = Store.open(folder)) {
                before = new ArrayList<>(s.records().stream().map(Record::key).toList());
                assertThat(before).as("%s deletes a key the store holds", deletion).contains(deletion.key());
                s.write(List.of(deletion));
            }
            before.remove(deletion.key());
            try (Store s = Store.open(folder)) {
                assertThat(s.records()).extracting(Record::key).as("after %s", deletion).isEqualTo(before);
            }
        }
    }
}
