package dev.weft.daemon.cni;

/** The CNI commands, and which variables each needs (as the reference plugins enforce). */
public enum Verb {
    ADD(true, true, true, false),
    DEL(true, false, true, false),
    CHECK(true, true, true, false),
    GC(false, false, false, true),
    STATUS(false, false, false, true),
    VERSION(false, false, false, false);

    final boolean needsContainer;
    final boolean needsNetns;
    final boolean needsIfname;
    final boolean needsPath;

    Verb(boolean needsContainer, boolean needsNetns, boolean needsIfname, boolean needsPath) {
        this.needsContainer = needsContainer;
        this.needsNetns = needsNetns;
        this.needsIfname = needsIfname;
        this.needsPath = needsPath;
    }

    /** The verb named by {@code CNI_COMMAND}, or null (commands are upper case in the spec). */
    static Verb named(String command) {
        for (Verb v : values()) {
            if (v.name().equals(command)) {
                return v;
            }
        }
        return null;
    }
}
