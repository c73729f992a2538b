package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.peer.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grants a donor gave lately, by asker and ask id, kept on disk: a space request that arrives again
 * (duplicated, or retried across the donor's restart) gets the block it was given, not a second one.
 */
final class GrantLog {
    static final int KEPT = 64;

    private record Key(PeerId asker, long ask) {}

    private final LinkedHashMap<Key, Record.Grant> grants = new LinkedHashMap<>();

    /** The block already given for this ask, or null. */
    Range given(PeerId asker, long ask) {
        Record.Grant g = grants.get(new Key(asker, ask));
        return g == null ? null : g.block();
    }

    /** Remembers a grant; returns the records to persist (it, and the forgetting of the oldest kept). */
    List<Record> remember(PeerId asker, long ask, Range block) {
        List<Record> out = new ArrayList<>(2);
        Record.Grant g = new Record.Grant(asker, ask, block);
        grants.put(new Key(asker, ask), g);
        out.add(g);
        if (grants.size() > KEPT) {
            Map.Entry<Key, Record.Grant> oldest = grants.entrySet().iterator().next();
            grants.remove(oldest.getKey());
            out.add(new Record.Forget(oldest.getValue().key()));
        }
        return out;
    }

    void restore(Record.Grant g) {
        grants.put(new Key(g.asker(), g.ask()), g);
    }

    List<Record.Grant> records() {
        return List.copyOf(grants.values());
    }
}
