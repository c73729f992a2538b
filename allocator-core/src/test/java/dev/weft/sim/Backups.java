package dev.weft.sim;

import dev.weft.core.peer.PeerId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The fault "a data folder restored from an older backup": now and then a host's folder is copied as it is
 * at a restart (a backup job), and at a later restart of the same install the folder is replaced by that
 * copy (an operator restoring it). Drawn from a random stream of its own, and in a third of the runs only,
 * so a run without restores keeps the random paths it had.
 */
final class Backups {
    private final dev.weft.core.peer.Entropy side;
    private final boolean enabled;
    private final Map<String, DurableStore> copies = new HashMap<>();
    private final Map<String, PeerId> copyOf = new HashMap<>();
    /** Installs that came back from an older copy of their own folder: what explains their alarms. */
    final Set<PeerId> restored = new HashSet<>();
    /** Nodes whose next start from disk restores the copy kept for them, whatever the dice (scenario tests). */
    private final Set<String> due = new HashSet<>();
    long restores;
    /** Restores the restored install itself detected (it fenced and raised RESTORED_FROM_BACKUP). */
    long detected;

    Backups(long seed) {
        side = new dev.weft.core.peer.Entropy(seed * 0x9E3779B97F4A7C15L + 23);
        enabled = side.nextInt(3) == 0;
    }

    /** Whether a kept copy, which may yet be restored, names {@code install}. */
    boolean name(dev.weft.core.peer.PeerId install) {
        return copies.values().stream().anyMatch(c -> c.names(install));
    }

    /** At a restart from disk: now and then the folder is replaced by an older copy; returns whether. */
    boolean maybeRestore(SimNode n) {
        DurableStore copy = copies.get(n.name);
        if (copy == null || !n.id.equals(copyOf.get(n.name)) || !due.remove(n.name) && side.nextInt(3) != 0) {
            return false;
        }
        copies.remove(n.name);
        n.store.replaceWith(copy);
        restored.add(n.id);
        restores++;
        return true;
    }

    /** For scenario tests: a copy of {@code n}'s folder as it is now, restored at its next start from disk. */
    void restoreAtNextStart(SimNode n) {
        copies.put(n.name, n.store.copy());
        copyOf.put(n.name, n.id);
        due.add(n.name);
    }

    /** Whether {@code n}'s next start from disk restores a copy for a scenario test (also while calm). */
    boolean restoreDue(SimNode n) {
        return due.contains(n.name);
    }

    /** After a restart from disk: now and then, a copy of the folder as it is, to restore later. */
    void maybeCopy(SimNode n) {
        if (enabled && n.store.containsKey("cluster") && side.nextInt(3) == 0) {
            copies.put(n.name, n.store.copy());
            copyOf.put(n.name, n.id);
        }
    }
}
