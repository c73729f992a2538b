package dev.weft.core.node;

/** Something an operator must see: logged, counted in metrics, shown in status. */
public record Alarm(long at, Kind kind, String message) {
    public enum Kind {
        /** This install was removed by an operator while it was running: it stopped allocating. */
        REMOVED_WHILE_ALIVE,
        /** Another peer now owns a range this peer owned (and maybe still has addresses held in). */
        RANGE_LOST,
        /** Two peers claim the same range at the same version. */
        CONFLICT,
        /** A peer belongs to another cluster bootstrap or another universe. */
        FOREIGN_RING,
        /** This install's data folder is older than what the cluster knows of it (a backup restored): it fenced. */
        RESTORED_FROM_BACKUP
    }
}
